package io.certform.cli.view;

import static io.certform.cli.view.PlanRows.SENSITIVE;
import static io.certform.cli.view.PlanRows.UNKNOWN;
import static io.certform.cli.view.PlanRows.q;

import io.certform.cli.view.PlanRows.Row;
import io.certform.plan.Action;
import io.certform.plan.DesiredBinding;
import io.certform.plan.Drift;
import io.certform.plan.Pending;
import io.certform.plan.Plan;
import io.certform.plan.Reason;
import io.certform.plan.ResourceChange;
import io.certform.state.ResourceState;
import io.certform.plan.CallCount;
import io.certform.plan.DesiredPattern;
import io.certform.rollout.RolloutPlan;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A plan in Terraform's layout: one block per binding, {@code +}, {@code ~}, {@code -}, then the summary line.
 * A large plan (over {@link #GROUPED_OVER} changes) shows what the new bindings of one certificate share once, in a
 * block for the certificate, and each binding on one line; {@link #compact()} shows every change on one line.
 */
public final class HumanPlanView implements PlanView {
    private final PrintWriter out;
    private final Style style;
    /** Plans with more changes than this group their creations by certificate. */
    public static final int GROUPED_OVER = 50;

    private boolean remoteRead = true;
    private boolean compact;
    private List<DesiredPattern.Selection> selections = List.of();
    /** The rows of each change's block, which know the plan's shared certificate resources. */
    private PlanRows planRows = new PlanRows(Map.of());
    private RolloutPlan rollout;
    private Pending pending = Pending.NONE;
    private List<io.certform.plan.Moves> moves = List.of();

    @Override
    public HumanPlanView selecting(List<DesiredPattern.Selection> value) {
        selections = List.copyOf(value);
        return this;
    }

    @Override
    public HumanPlanView rollingOut(RolloutPlan value) {
        rollout = value;
        return this;
    }

    @Override
    public HumanPlanView pending(Pending value) {
        pending = value == null ? Pending.NONE : value;
        return this;
    }

    /** The plan was made without reading the remote side ({@code --refresh=false}): "No changes" says so. */
    public HumanPlanView withoutRefresh() {
        remoteRead = false;
        return this;
    }

    /** One line per change ({@code plan --compact}, {@code show --compact}). */
    public HumanPlanView compact() {
        compact = true;
        return this;
    }

    /**
     * @param out where the plan goes; it is written through a buffer of this view's own, flushed once at the end of
     *            {@link #render}: a writer that flushes on every line (the console's) would make a system call per
     *            line, 24,000 of them for a plan of 10,000 creations
     */
    public HumanPlanView(PrintWriter out, Style style) {
        this.out = new PrintWriter(new java.io.BufferedWriter(out, 1 << 16), false);
        this.style = style;
    }

    @Override
    public void render(Plan plan, Map<String, Drift> drift, Instant now) {
        try {
            print(plan, drift, now);
        } finally {
            out.flush(); // what was written reaches the console even when printing fails half-way
        }
    }

    private void print(Plan plan, Map<String, Drift> drift, Instant now) {
        planRows = new PlanRows(PlanRows.sharedCertificates(plan.changes()));
        moves = io.certform.plan.Moves.of(plan);
        PlanNotes notes = new PlanNotes(out, style);
        notes.patterns(selections);
        notes.drift(drift);
        notes.pending(pending);
        if (!plan.hasChanges() && !pending.unknown() && pending.any()) {
            out.println();
            out.println(style.bold("No binding changes until then.") + " The bindings of the certificates above are"
                    + " planned once they are issued (plan --detailed-exitcode exits 2 until then).");
            out.flush();
            return;
        }
        if (!plan.hasChanges() && pending.any()) {
            out.println();
            out.println(style.bold("No changes can be confirmed yet.") + " The bindings above are unknown; run apply"
                    + " to settle them (plan --detailed-exitcode exits 2 until then).");
            out.flush();
            return;
        }
        if (!plan.hasChanges()) {
            out.println();
            out.println(style.green(style.bold("No changes.")) + (remoteRead
                    ? " The domains carry the certificates the manifest declares."
                    : " The state matches the manifest; the remote side was not read (--refresh=false)."));
            out.flush();
            return;
        }
        out.println();
        out.println("certform will perform the following actions:");
        Map<String, List<ResourceChange>> several = ProviderGroups.whenSeveral(plan);
        if (several.isEmpty()) {
            changes(plan.changes().stream().filter(c -> c.action().changes()).toList(), now);
        }
        several.forEach((provider, changes) -> {
            out.println();
            out.println(style.bold(ProviderGroups.heading(provider) + ":"));
            changes(changes, now);
        });
        out.println();
        out.println(style.bold("Plan:") + " " + summary(plan));
        ProviderGroups.summaries(plan).forEach(line -> out.println("  " + line));
        List<CallCount> counts = CallCount.of(plan); // one pass over the changes (100,000 of them, at the largest)
        calls(counts);
        if (rollout != null) {
            List<String> lines = RolloutSection.lines(rollout);
            out.println(style.bold("Rollout:") + " " + lines.get(0));
            lines.subList(1, lines.size()).forEach(out::println);
        }
        if (counts.stream().anyMatch(c -> c.writesAtMost() > c.writes())) {
            // only a domain's own certificate is removed first; a shared certificate's renewal touches no domain
            out.println(style.dim("Where a gateway refuses a second certificate on a domain, certform removes the one"
                    + " it recorded first and binds the new one: that domain is briefly without a certificate."));
        }
        out.flush();
    }

    /** The changes' lines (compact), groups (many) or blocks. */
    private void changes(List<ResourceChange> changes, Instant now) {
        if (compact) {
            out.println();
            for (ResourceChange change : changes) {
                line(change);
            }
        } else if (changes.size() > GROUPED_OVER) {
            grouped(changes, now);
        } else {
            for (ResourceChange change : changes) {
                out.println();
                block(change, now);
            }
        }
    }

    /** Per certificate, its model and the write calls apply will make. */
    private void calls(List<CallCount> counts) {
        if (counts.isEmpty()) {
            return;
        }
        long total = CallCount.total(counts);
        out.println(style.bold("API calls:") + " " + total + (total == 1 ? " write call" : " write calls"));
        for (CallCount c : counts) {
            out.println("  " + c.certificateKey() + " (" + c.model() + "): " + c.writes()
                    + (c.writes() == 1 ? " call" : " calls")
                    + (c.writesAtMost() > c.writes() ? ", up to " + c.writesAtMost() + " where the gateway refuses a"
                    + " second certificate on a domain" : ""));
        }
    }


    /** {@code N to add, N to change, N to destroy.}, with {@code N to adopt} after the adds when there are any. */
    public static String summary(Plan plan) {
        long moves = plan.count(Action.MOVE);
        long adopts = plan.toAdopt();
        return plan.toAdd() + " to add, " + (adopts == 0 ? "" : adopts + " to adopt, ") + plan.toChange() + " to change, " + plan.toDestroy() + " to destroy"
                + (moves == 0 ? "." : ", " + moves + " to move.");
    }

    /** {@code + shop[api.example.com] will be created}, with the reasons of any other change. */
    private void line(ResourceChange c) {
        out.println("  " + colored(c.action(), c.action().symbol()) + " " + c.key() + " " + verb(c)
                + (isPlainCreate(c) || isPlainAdoption(c) ? "" : " (because " + reasons(c) + ")"));
    }

    /** An adoption whose only reason is that the certificate is in place: its verb already says all of it. */
    private static boolean isPlainAdoption(ResourceChange c) {
        return c.action() == Action.ADOPT && c.reasons().equals(java.util.Set.of(Reason.ALREADY_IN_PLACE));
    }

    /**
     * New bindings grouped by certificate, at the place of the certificate's first one: what they share (the
     * certificate, its name and type) once, then one line per binding. Other changes keep their blocks.
     */
    private void grouped(List<ResourceChange> changes, Instant now) {
        Map<String, List<ResourceChange>> creates = new LinkedHashMap<>();
        for (ResourceChange c : changes) {
            if (isPlainCreate(c)) {
                creates.computeIfAbsent(c.after().certificateKey(), k -> new ArrayList<>()).add(c);
            }
        }
        for (ResourceChange c : changes) {
            if (!isPlainCreate(c)) {
                out.println();
                block(c, now);
                continue;
            }
            List<ResourceChange> group = creates.remove(c.after().certificateKey());
            if (group == null) {
                continue; // shown with the first binding of its certificate
            }
            DesiredBinding first = group.get(0).after();
            out.println();
            out.println("  " + style.bold("# " + group.size() + (group.size() == 1 ? " binding" : " bindings")
                    + " of certificate \"" + first.certificateKey() + "\" will be created") + ", sharing:");
            List<Row> rows = new ArrayList<>();
            rows.add(new Row("+", "ssl_name", q(first.sslName())));
            rows.add(new Row("+", "type", q(first.type())));
            PlanRows.afterCertificate(rows, "+", first, now);
            rows.add(new Row("+", "private_key", SENSITIVE));
            rows.add(new Row("+", "ssl_id", UNKNOWN));
            out.println("  " + colored(Action.CREATE, "+") + " certificate \"" + first.certificateKey() + "\" {");
            printRows(rows);
            out.println("    }");
            for (ResourceChange each : group) {
                DesiredBinding a = each.after();
                boolean shared = a.sslName().equals(first.sslName()) && a.type().equals(first.type())
                        && a.certificate().sha256().equals(first.certificate().sha256());
                if (!shared) {
                    out.println();
                    block(each, now); // not what the group shares: shown whole
                    continue;
                }
                out.println("  " + colored(Action.CREATE, "+") + (a.shared() ? " attachment \"" : " binding \"")
                        + each.address() + "\" { instance_id = "
                        + q(a.instanceId()) + ", group_id = " + q(a.groupId()) + ", domain_id = "
                        + (a.domainId() == null ? UNKNOWN : q(a.domainId())) + ", url_domain = "
                        + (a.urlDomain() == null ? UNKNOWN : q(a.urlDomain())) + " }");
            }
        }
    }

    private static boolean isPlainCreate(ResourceChange c) {
        return c.action() == Action.CREATE && c.reasons().contains(Reason.NOT_IN_STATE) && c.reasons().size() == 1;
    }

    private String reasons(ResourceChange c) {
        return ProviderGroups.reasons(c, moves);
    }

    private static String verb(ResourceChange c) {
        return switch (c.action()) {
            case CREATE -> "will be created";
            case UPDATE -> "will be updated in place";
            case REPLACE -> "must be replaced";
            case CREATE_THEN_DELETE -> "will be replaced, the new one made first (the domain is never bare)";
            case DELETE -> c.forgetsOnly() ? "will be forgotten (nothing is sent)" : "will be destroyed";
            case MOVE -> "has moved from " + c.before().address() + " (nothing is sent)";
            case ADOPT -> c.after() != null && c.after().certificateResource()
                    ? "will be adopted: the gateway already holds it as certificate \"" + c.adopted().sslId()
                    + "\" (nothing is sent)"
                    : c.after() != null && c.after().shared()
                    ? "will be adopted: the domain is already attached to certificate \"" + c.adopted().sslId()
                    + "\" (nothing is sent)"
                    : "will be adopted: the domain already carries it as ssl_id \"" + c.adopted().sslId()
                    + "\" (nothing is sent)";
            default -> "";
        };
    }

    private void printRows(List<Row> rows) {
        int width = rows.stream().mapToInt(r -> r.name().length()).max().orElse(0);
        for (Row r : rows) {
            String name = String.format("%-" + width + "s", r.name());
            out.println("      " + colored(r.marker(), r.marker()) + " " + name + " = " + r.value());
        }
    }

    private void block(ResourceChange c, Instant now) {
        out.println("  " + style.bold("# " + c.key()) + " " + verb(c));
        if (c.action() != Action.CREATE || !c.reasons().contains(Reason.NOT_IN_STATE)) {
            out.println("  # (because " + reasons(c) + ")");
        }
        boolean outside = c.reasons().contains(Reason.CHANGED_OUTSIDE) || c.reasons().contains(Reason.REMOVED_OUTSIDE);
        out.println("  " + colored(c.action(), c.action().symbol()) + " " + PlanRows.noun(c) + " \"" + c.key() + "\" {"
                + (outside ? " (changed outside certform)" : ""));
        printRows(planRows.rows(c, now));
        out.println("    }");
    }

    private String colored(Action action, String text) {
        return switch (action) {
            case CREATE -> style.green(text);
            case UPDATE -> style.yellow(text);
            case DELETE, REPLACE -> style.red(text);
            case CREATE_THEN_DELETE -> style.yellow(text);
            default -> text;
        };
    }

    private String colored(String marker, String text) {
        return switch (marker) {
            case "+" -> style.green(text);
            case "~" -> style.yellow(text);
            case "-" -> style.red(text);
            default -> text;
        };
    }

    /** One change's block as {@link #render} prints it, without colour: what the markdown view shows in details. */
    static String plainBlock(ResourceChange change, Map<String, ResourceState> sharedCertificates,
                             List<io.certform.plan.Moves> moves, Instant now) {
        java.io.StringWriter text = new java.io.StringWriter();
        HumanPlanView view = new HumanPlanView(new PrintWriter(text), new Style(false));
        view.planRows = new PlanRows(sharedCertificates);
        view.moves = moves;
        view.block(change, now);
        view.out.flush();
        return text.toString();
    }
}
