package io.certform.cli.view;

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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A plan in Terraform's layout: one block per binding, {@code +}, {@code ~}, {@code -}, then the summary line.
 * A large plan (over {@link #GROUPED_OVER} changes) shows what the new bindings of one certificate share once, in a
 * block for the certificate, and each binding on one line; {@link #compact()} shows every change on one line.
 */
public final class HumanPlanView implements PlanView {
    private static final String UNKNOWN = "(known after apply)";
    private static final String SENSITIVE = "(sensitive value)";

    private final PrintWriter out;
    private final Style style;
    /** Plans with more changes than this group their creations by certificate. */
    public static final int GROUPED_OVER = 50;

    private boolean remoteRead = true;
    private boolean compact;
    private List<DesiredPattern.Selection> selections = List.of();
    /**
     * The plan's shared certificate resources as recorded, by certificate key: an attachment records no certificate
     * of its own, so a binding leaving the shared model shows the certificate it had from its resource.
     */
    private Map<String, ResourceState> sharedCertificates = Map.of();
    private RolloutPlan rollout;
    private Pending pending = Pending.NONE;
    /** Names listed per pattern in text; the JSON plan lists them all. */
    private static final int NAMES_SHOWN = 50;

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
        sharedCertificates = sharedCertificates(plan.changes());
        patterns();
        if (!drift.isEmpty()) {
            out.println();
            out.println(style.bold("Note: Objects have changed outside of certform"));
            out.println();
            out.println("certform found these differences between the state and the remote side:");
            for (Drift d : drift.values()) {
                out.println();
                out.println("  " + style.bold("# " + d.address()) + " " + switch (d.kind()) {
                    case CHANGED -> "has changed: the domain now carries ssl_id \"" + d.found().sslId() + "\" (name \""
                            + d.found().sslName() + "\", serial \"" + d.found().serialNumber() + "\""
                            + (d.found().algorithmType() == null ? "" : ", " + d.found().algorithmType())
                            + (d.found().issuer() == null ? "" : ", issued by " + d.found().issuer())
                            + (d.found().san() == null ? "" : ", for " + String.join(", ", d.found().san()))
                            + "), not the recorded \""
                            + d.recorded().sslId() + "\"" + (d.differences().isEmpty() ? ""
                            : ": " + String.join("; ", d.differences()))
                            + (d.foreign() ? ". The certificate certform bound is no longer on the domain, and certform"
                            + " never removes one it cannot prove it bound" : "");
                    case REMOVED -> "has been removed: " + d.removal();
                    case DOMAIN_GONE -> "is gone: the domain " + d.recorded().domainId() + " is no longer in its API"
                            + " group " + d.recorded().groupId() + " (the group was read and does not list it)";
                });
            }
        }
        if (pending.any()) {
            out.println();
            out.println(style.bold("Unknown until the next apply settles it:"));
            for (String sentence : pending.sentences()) {
                out.println();
                out.println("  " + style.yellow("?") + " " + sentence);
            }
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
        List<ResourceChange> changes = plan.changes().stream().filter(c -> c.action().changes()).toList();
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
        out.println();
        out.println(style.bold("Plan:") + " " + summary(plan));
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

    private void patterns() {
        if (selections.isEmpty()) {
            return;
        }
        out.println();
        out.println(style.bold("Domain patterns") + " (selected from the remote side now):");
        for (DesiredPattern.Selection s : selections) {
            int n = s.selected().size();
            out.println("  " + s.certificateKey() + " match \"" + s.match() + "\" in " + s.scope() + ": "
                    + (n == 0 ? style.yellow("no domain") : n + (n == 1 ? " domain" : " domains")));
            s.selected().stream().limit(NAMES_SHOWN).forEach(name -> out.println("    " + name));
            if (n > NAMES_SHOWN) {
                out.println(style.dim("    ... and " + (n - NAMES_SHOWN) + " more (plan --json lists them all)"));
            }
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
        out.println("  " + colored(c.action(), c.action().symbol()) + " " + c.address() + " " + verb(c)
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
            afterCertificate(rows, "+", first, now);
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

    private static String reasons(ResourceChange c) {
        return c.reasons().stream().sorted().map(Reason::text).collect(Collectors.joining(", "));
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
        int width = rows.stream().mapToInt(r -> r.name.length()).max().orElse(0);
        for (Row r : rows) {
            String name = String.format("%-" + width + "s", r.name);
            out.println("      " + colored(r.marker, r.marker) + " " + name + " = " + r.value);
        }
    }

    private void block(ResourceChange c, Instant now) {
        out.println("  " + style.bold("# " + c.address()) + " " + verb(c));
        if (c.action() != Action.CREATE || !c.reasons().contains(Reason.NOT_IN_STATE)) {
            out.println("  # (because " + reasons(c) + ")");
        }
        boolean outside = c.reasons().contains(Reason.CHANGED_OUTSIDE) || c.reasons().contains(Reason.REMOVED_OUTSIDE);
        out.println("  " + colored(c.action(), c.action().symbol()) + " " + noun(c) + " \"" + c.address() + "\" {"
                + (outside ? " (changed outside certform)" : ""));
        printRows(rows(c, now));
        out.println("    }");
    }

    private record Row(String marker, String name, String value) {
    }

    /** A shared certificate resource, or the attachment of a domain to one, or a domain's own binding. */
    private static String noun(ResourceChange c) {
        if (certificateResource(c)) {
            return "certificate";
        }
        return attachment(c) ? "attachment" : "binding";
    }

    private static boolean certificateResource(ResourceChange c) {
        return (c.after() != null && c.after().certificateResource())
                || (c.before() != null && c.before().certificateResource());
    }

    /** Only an attachment on both sides: its certificate's content is shown on the certificate resource. */
    private static boolean attachment(ResourceChange c) {
        return (c.after() == null || c.after().shared()) && (c.before() == null || c.before().shared())
                && !certificateResource(c);
    }

    private static final java.util.Set<String> DOMAIN_ROWS = java.util.Set.of("instance_id", "group_id", "domain_id",
            "url_domain");

    private List<Row> rows(ResourceChange c, Instant now) {
        List<Row> rows = bindingRows(c, now);
        if (certificateResource(c)) {
            rows.removeIf(r -> DOMAIN_ROWS.contains(r.name()));
            rows.add(0, new Row(" ", "model", q("shared")));
        } else if (attachment(c)) {
            rows.removeIf(r -> !DOMAIN_ROWS.contains(r.name()) && !r.name().equals("ssl_id"));
            rows.add(new Row(" ", "certificate", q((c.after() != null ? c.after().certificateKey()
                    : c.before().certificate()) + " (shared)")));
        } else if (c.before() != null && c.after() != null && c.before().shared() != c.after().shared()) {
            rows.add(0, new Row("~", "model", q(c.before().shared() ? "shared" : "per-domain") + " -> "
                    + q(c.after().shared() ? "shared" : "per-domain")));
        }
        return rows;
    }

    /** The recorded shared certificate resources of the changes, by certificate key. */
    static Map<String, ResourceState> sharedCertificates(List<ResourceChange> changes) {
        Map<String, ResourceState> out = new java.util.HashMap<>();
        for (ResourceChange c : changes) {
            if (c.before() != null && c.before().certificateResource() && !c.before().deposed()) {
                out.put(c.before().certificate(), c.before());
            }
        }
        return out;
    }

    private List<Row> bindingRows(ResourceChange c, Instant now) {
        ResourceState b = c.before();
        // the certificate the binding had: an attachment's is its shared certificate resource's
        ResourceState had = b != null && b.shared() && !b.certificateResource()
                ? sharedCertificates.getOrDefault(b.certificate(), b) : b;
        DesiredBinding a = c.after();
        List<Row> rows = new ArrayList<>();
        switch (c.action()) {
            case CREATE -> {
                rows.add(new Row("+", "instance_id", q(a.instanceId())));
                rows.add(new Row("+", "group_id", q(a.groupId())));
                rows.add(new Row("+", "domain_id", a.domainId() == null ? UNKNOWN : q(a.domainId())));
                rows.add(new Row("+", "url_domain", a.urlDomain() == null ? UNKNOWN : q(a.urlDomain())));
                rows.add(new Row("+", "ssl_name", q(a.sslName())));
                rows.add(new Row("+", "type", q(a.type())));
                afterCertificate(rows, "+", a, now);
                rows.add(new Row("+", "private_key", SENSITIVE));
                rows.add(new Row("+", "ssl_id", UNKNOWN));
            }
            case ADOPT -> {
                ResourceState found = c.adopted();
                if (found.certificateResource()) {
                    rows.add(new Row(" ", "ssl_name", q(found.sslName())));
                    rows.add(new Row(" ", "serial_number", q(found.serialNumber())));
                    rows.add(new Row(" ", "not_after", q(found.notAfter())));
                    rows.add(new Row("=", "ssl_id", q(found.sslId())));
                    break;
                }
                if (found.shared()) {
                    rows.add(new Row(" ", "instance_id", q(found.instanceId())));
                    rows.add(new Row(" ", "group_id", q(found.groupId())));
                    rows.add(new Row(" ", "domain_id", q(found.domainId())));
                    rows.add(new Row(" ", "url_domain", q(found.urlDomain())));
                    rows.add(new Row("=", "ssl_id", q(found.sslId())));
                    break;
                }
                rows.add(new Row(" ", "instance_id", q(found.instanceId())));
                rows.add(new Row(" ", "group_id", q(found.groupId())));
                rows.add(new Row(" ", "domain_id", q(found.domainId())));
                rows.add(new Row(" ", "url_domain", q(found.urlDomain())));
                rows.add(new Row(" ", "ssl_name", q(found.sslName())));
                rows.add(new Row(" ", "serial_number", q(found.serialNumber())));
                rows.add(new Row(" ", "not_after", q(found.notAfter())));
                rows.add(new Row("=", "ssl_id", q(found.sslId()) + (b == null || b.sslId() == null ? ""
                        : " (recorded before: " + q(b.sslId()) + ")")));
            }
            case DELETE -> {
                rows.add(new Row("-", "instance_id", q(b.instanceId())));
                rows.add(new Row("-", "group_id", q(b.groupId())));
                rows.add(new Row("-", "domain_id", q(b.domainId())));
                rows.add(new Row("-", "url_domain", q(b.urlDomain())));
                rows.add(new Row("-", "ssl_name", q(b.sslName())));
                rows.add(new Row("-", "serial_number", q(b.serialNumber())));
                rows.add(new Row("-", "not_after", q(b.notAfter())));
                rows.add(new Row("-", "ssl_id", q(b.sslId())));
            }
            default -> {
                change(rows, "instance_id", b.instanceId(), a.instanceId());
                change(rows, "group_id", b.groupId(), a.groupId());
                change(rows, "domain_id", b.domainId(), a.domainId());
                rows.add(new Row(" ", "url_domain", q(b.urlDomain())));
                change(rows, "ssl_name", had.sslName(), a.sslName());
                change(rows, "type", had.type(), a.type());
                change(rows, "algorithm_type", had.algorithmType(), a.certificate().algorithmType());
                change(rows, "issuer", had.issuer(), a.certificate().issuer());
                change(rows, "serial_number", had.serialNumber(), a.certificate().serialNumber());
                String notAfter = a.certificate().notAfter().toString();
                rows.add(Objects.equals(had.notAfter(), notAfter)
                        ? new Row(" ", "not_after", q(notAfter) + daysLeft(a, now))
                        : new Row("~", "not_after", q(had.notAfter()) + " -> " + q(notAfter) + daysLeft(a, now)));
                change(rows, "cert_sha256", had.certSha256(), a.certificate().sha256());
                if (c.reasons().contains(Reason.CHAIN_CHANGED)) {
                    change(rows, "chain_sha256", had.chainSha256(), a.certificate().chainSha256());
                }
                change(rows, "trusted_root_ca_sha256", had.trustedRootCaSha256(), a.trustedRootCaSha256());
                if (keyMayChange(had, a)) {
                    rows.add(new Row("~", "private_key", SENSITIVE));
                }
                // renewed in place (one PUT keeps the id), or a move that only renames the state's record: the
                // domain keeps its certificate, and its ssl_id
                rows.add((certificateResource(c) && c.action() == Action.UPDATE) || c.action() == Action.MOVE
                        ? new Row(" ", "ssl_id", q(b.sslId()))
                        : new Row("~", "ssl_id", q(b.sslId()) + " -> " + UNKNOWN));
            }
        }
        return rows;
    }

    /**
     * Whether the update brings a new private key: only a new certificate can, and a renewal on the same key does
     * not (the public keys' fingerprints match). Without a recorded fingerprint, a new certificate may.
     */
    private static boolean keyMayChange(ResourceState before, DesiredBinding after) {
        if (Objects.equals(before.certSha256(), after.certificate().sha256())) {
            return false;
        }
        return before.publicKeySha256() == null
                || !before.publicKeySha256().equals(after.certificate().publicKeySha256());
    }

    private void afterCertificate(List<Row> rows, String marker, DesiredBinding a, Instant now) {
        rows.add(new Row(marker, "algorithm_type", q(a.certificate().algorithmType())));
        rows.add(new Row(marker, "subject", q(a.certificate().subject())));
        rows.add(new Row(marker, "issuer", q(a.certificate().issuer())));
        rows.add(new Row(marker, "serial_number", q(a.certificate().serialNumber())));
        rows.add(new Row(marker, "not_after", q(a.certificate().notAfter().toString()) + daysLeft(a, now)));
        rows.add(new Row(marker, "cert_sha256", q(a.certificate().sha256())));
    }

    /** A row for an attribute: unchanged rows have no marker, changed ones {@code ~ old -> new}. */
    private static void change(List<Row> rows, String name, String before, String after) {
        if (before == null && after == null) {
            return;
        }
        if (Objects.equals(before, after)) {
            rows.add(new Row(" ", name, q(after)));
        } else {
            rows.add(new Row("~", name, q(before) + " -> " + q(after)));
        }
    }

    private static String daysLeft(DesiredBinding a, Instant now) {
        long days = Duration.between(now, a.certificate().notAfter()).toDays();
        return " (" + days + " days left)";
    }

    private static String q(String s) {
        return s == null ? "null" : "\"" + s + "\"";
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
    static String plainBlock(ResourceChange change, Map<String, ResourceState> sharedCertificates, Instant now) {
        java.io.StringWriter text = new java.io.StringWriter();
        HumanPlanView view = new HumanPlanView(new PrintWriter(text), new Style(false));
        view.sharedCertificates = sharedCertificates;
        view.block(change, now);
        view.out.flush();
        return text.toString();
    }
}
