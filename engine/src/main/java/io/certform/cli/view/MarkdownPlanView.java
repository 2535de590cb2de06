package io.certform.cli.view;

import io.certform.plan.Action;
import io.certform.plan.DesiredBinding;
import io.certform.plan.DesiredPattern;
import io.certform.plan.Drift;
import io.certform.plan.Pending;
import io.certform.plan.Plan;
import io.certform.plan.ResourceChange;
import io.certform.rollout.RolloutPlan;
import io.certform.state.ResourceState;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A plan as GitHub/GitLab-flavoured Markdown, for a pull-request comment: the summary, one table row per change,
 * then each change's details (as the text plan shows them) in a collapsible {@code <details>}. No colour, and, as
 * everywhere, no secret: a private key is "(sensitive value)". The first line is a hidden marker, so that a
 * pipeline can find and update its earlier comment. A plan too large for one comment lists what fits (the table
 * first, then the details) and says how many changes it leaves out.
 */
public final class MarkdownPlanView implements PlanView {
    /** The hidden first line of every plan comment. */
    public static final String MARKER = "<!-- certform plan -->";

    /** What the comment may take: GitHub's limit for a comment is 65,536 characters, GitLab's 1,000,000. */
    static final int MAX_CHARS = 60_000;
    /** Names listed per domain pattern, so that the patterns leave room for the changes. */
    private static final int PATTERN_NAMES_SHOWN = 20;

    private final PrintWriter out;
    private List<DesiredPattern.Selection> selections = List.of();
    private RolloutPlan rollout;
    private Pending pending = Pending.NONE;

    public MarkdownPlanView(PrintWriter out) {
        this.out = out;
    }

    @Override
    public MarkdownPlanView selecting(List<DesiredPattern.Selection> value) {
        selections = List.copyOf(value);
        return this;
    }

    @Override
    public MarkdownPlanView pending(Pending value) {
        pending = value == null ? Pending.NONE : value;
        return this;
    }

    @Override
    public MarkdownPlanView rollingOut(RolloutPlan value) {
        rollout = value;
        return this;
    }

    /** The head of the table of changes (one per provider when several have changes). */
    private static final String TABLE_HEAD = "\n| | Address | Action | Certificate | Expires |\n|:-:|---|---|---|---|\n";

    @Override
    public void render(Plan plan, Map<String, Drift> drift, Instant now) {
        StringBuilder head = new StringBuilder();
        head.append(MARKER).append('\n').append("### certform plan\n\n");
        head.append(plan.hasChanges() ? "**Plan:** " + HumanPlanView.summary(plan)
                : pending.unknown() ? "**No changes can be confirmed yet:** what follows is unknown until the next apply"
                + " settles it."
                : pending.any() ? "**No binding changes** until the certificates below are issued."
                : "**No changes.** The domains carry the certificates the manifest declares.").append('\n');
        List<String> perProvider = ProviderGroups.summaries(plan);
        if (!perProvider.isEmpty()) {
            head.append('\n');
            perProvider.forEach(line -> head.append("- ").append(cell(line)).append('\n'));
        }
        if (!pending.issuance().isEmpty()) {
            head.append("\n**Issued by ACME at the next apply:**\n\n");
            pending.issuance().forEach(i -> head.append("- ").append(cell("certificate " + i.certificate() + " "
                    + i.action())).append('\n'));
        }
        if (pending.unknown()) {
            head.append("\n**Unknown until the next apply settles it:**\n\n");
            pending.withIssuance(List.of()).sentences()
                    .forEach(sentence -> head.append("- ").append(cell(sentence)).append('\n'));
        }
        if (rollout != null && plan.hasChanges()) {
            head.append(rolloutSection(rollout));
        }
        List<String> patternBlocks = new ArrayList<>();
        for (DesiredPattern.Selection sel : selections) {
            StringBuilder block = new StringBuilder();
            int n = sel.selected().size();
            block.append("\n<details><summary>").append(html(sel.certificateKey())).append(" match ")
                    .append(html("\"" + sel.match() + "\"")).append(" in ").append(html(sel.scope())).append(": ")
                    .append(n == 0 ? "<b>no domain</b>" : n + (n == 1 ? " domain" : " domains"))
                    .append("</summary>\n\n");
            sel.selected().stream().limit(PATTERN_NAMES_SHOWN).forEach(name -> block.append("- ").append(code(name))
                    .append('\n'));
            if (n > PATTERN_NAMES_SHOWN) {
                block.append("- ... and ").append(n - PATTERN_NAMES_SHOWN).append(" more (`plan --json` lists them all)\n");
            }
            block.append("\n</details>\n");
            patternBlocks.add(block.toString());
        }
        List<String> driftLines = new ArrayList<>();
        for (Drift d : drift.values()) {
            driftLines.add("- " + code(d.key()) + " " + switch (d.kind()) {
                case CHANGED -> "now carries another certificate (" + cell(d.found().sslName()) + ")"
                        + (d.differences().isEmpty() ? "" : ": " + cell(String.join("; ", d.differences())))
                        + (d.foreign() ? "; the certificate certform bound is no longer on the domain" : "");
                case REMOVED -> "has been removed: " + cell(d.removal());
                case DOMAIN_GONE -> "is gone: its domain is no longer in its API group";
            } + "\n");
        }
        Map<String, List<ResourceChange>> several = ProviderGroups.whenSeveral(plan);
        List<ResourceChange> changes = several.isEmpty()
                ? plan.changes().stream().filter(c -> c.action().changes()).toList()
                : several.values().stream().flatMap(List::stream).toList();
        Map<String, ResourceState> sharedCertificates = PlanRows.sharedCertificates(
                plan.changes());
        List<io.certform.plan.Moves> moves = io.certform.plan.Moves.of(plan);
        List<String> rows = new ArrayList<>();
        String provider = null;
        for (ResourceChange c : changes) {
            // a fleet's changes: a table per provider, under its name
            String heading = !several.isEmpty() && !c.provider().equals(provider) ? "\n**"
                    + cell(ProviderGroups.heading(c.provider())) + "**\n" + TABLE_HEAD : "";
            provider = c.provider();
            rows.add(heading + "| " + code(c.action().symbol()) + " | " + code(c.key()) + " | " + action(c) + " | "
                    + certificate(c) + " | " + expires(c, now) + " |\n");
        }
        // What fits in one comment: the head, then the table and the drift, then the details, in that order.
        int budget = MAX_CHARS - head.length() - 600;
        int shownDrift = 0;
        int shownRows = 0;
        int shownDetails = 0;
        for (String line : driftLines) {
            if ((budget -= line.length()) < 0) {
                break;
            }
            shownDrift++;
        }
        for (String row : rows) {
            if (budget < 0 || (budget -= row.length()) < 0) {
                break;
            }
            shownRows++;
        }
        // the changes first; then what each pattern selected, as far as it fits; then the details
        int shownPatterns = 0;
        for (String block : patternBlocks) {
            if (budget < 0 || (budget -= block.length()) < 0) {
                break;
            }
            shownPatterns++;
        }
        if (shownPatterns < patternBlocks.size()) {
            head.append(patternBlocks.subList(0, shownPatterns).stream().reduce("", String::concat))
                    .append("\n_").append(patternBlocks.size() - shownPatterns).append(" more ")
                    .append(patternBlocks.size() - shownPatterns == 1 ? "pattern's" : "patterns'")
                    .append(" selections are not listed: `plan --json` lists them all._\n");
        } else {
            patternBlocks.forEach(head::append);
        }
        List<String> details = new ArrayList<>();
        for (ResourceChange c : changes.subList(0, shownRows)) {
            String block = diff(printable(HumanPlanView.plainBlock(c, sharedCertificates, moves, now), '\n'));
            String fence = fence(block);
            String detail = "\n<details><summary>" + html(c.key()) + ": " + action(c) + "</summary>\n\n" + fence
                    + "diff\n" + block + fence + "\n\n</details>\n";
            if (budget < 0 || (budget -= detail.length()) < 0) {
                break;
            }
            details.add(detail);
            shownDetails++;
        }

        StringBuilder text = new StringBuilder(head);
        if (!driftLines.isEmpty()) {
            text.append("\n<details><summary>").append(drift.size()).append(drift.size() == 1 ? " binding" : " bindings")
                    .append(" changed outside certform</summary>\n\n");
            driftLines.subList(0, shownDrift).forEach(text::append);
            if (shownDrift < driftLines.size()) {
                text.append("- ... and ").append(driftLines.size() - shownDrift).append(" more\n");
            }
            text.append("\n</details>\n");
        }
        if (!changes.isEmpty()) {
            text.append(several.isEmpty() ? TABLE_HEAD : "");
            rows.subList(0, shownRows).forEach(text::append);
            details.forEach(text::append);
            if (shownRows < changes.size() || shownDetails < changes.size()) {
                text.append("\n_").append(shownRows).append(" of ").append(changes.size())
                        .append(" changes are listed, ").append(shownDetails).append(" with details: a comment holds")
                        .append(" 65,536 characters at most. `certform show PLANFILE` shows the whole saved plan._\n");
            }
        }
        out.print(text);
        out.flush();
    }

    /** The waves: the summary, each wave (its addresses when few), and the notes. */
    private static String rolloutSection(RolloutPlan rollout) {
        StringBuilder text = new StringBuilder("\n**Rollout:** ").append(cell(rollout.summary())).append(".\n\n");
        for (RolloutPlan.Wave wave : rollout.waves()) {
            List<String> a = wave.addresses();
            text.append("- ").append(wave.label()).append(": ");
            if (a.size() <= RolloutPlan.ADDRESSES_LISTED) {
                text.append(String.join(", ", a.stream().map(MarkdownPlanView::code).toList()));
            } else {
                text.append(a.size()).append(" bindings, ").append(code(a.get(0))).append(" ... ")
                        .append(code(a.get(a.size() - 1)));
            }
            text.append('\n');
        }
        for (String note : rollout.notes()) {
            text.append("\n_").append(cell(note)).append("_\n");
        }
        return text.toString();
    }

    private static String action(ResourceChange c) {
        return switch (c.action()) {
            case CREATE -> "create";
            case UPDATE -> "update in place";
            case REPLACE -> "replace";
            case CREATE_THEN_DELETE -> "replace (create first)";
            case DELETE -> c.forgetsOnly() ? "forget (nothing is sent)" : "destroy";
            case MOVE -> "move from " + code(c.before().address());
            case ADOPT -> (c.adopted().certificateResource() ? "adopt: already at the gateway as "
                    : c.adopted().shared() ? "adopt: already attached to " : "adopt: already on the domain as ")
                    + code(c.adopted().sslId()) + " (nothing is sent)";
            default -> c.action().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String certificate(ResourceChange c) {
        DesiredBinding a = c.after();
        ResourceState b = c.before();
        String after = a == null ? null : a.sslName();
        String before = b == null ? null : b.sslName();
        if (after == null) {
            return before == null ? "" : code(before);
        }
        if (before == null || before.equals(after)) {
            return code(after);
        }
        return code(before) + " → " + code(after);
    }

    private static String expires(ResourceChange c, Instant now) {
        if (c.after() == null) {
            return c.before() == null || c.before().notAfter() == null ? "" : cell(c.before().notAfter());
        }
        Instant notAfter = c.after().certificate().notAfter();
        long days = Duration.between(now, notAfter).toDays();
        return cell(notAfter.toString().substring(0, 10)) + " (" + days + " days left)";
    }

    /**
     * The text plan's block with its markers moved to the first column (and two columns less indentation), where a
     * {@code diff} code block colours them: {@code +} added, {@code -} removed, {@code ~} (changed) shown as {@code !}.
     */
    static String diff(String block) {
        StringBuilder text = new StringBuilder();
        for (String line : block.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            String trimmed = line.stripLeading();
            int indent = line.length() - trimmed.length();
            if (trimmed.length() > 1 && "+-~".indexOf(trimmed.charAt(0)) >= 0 && trimmed.charAt(1) == ' ') {
                char marker = trimmed.charAt(0) == '~' ? '!' : trimmed.charAt(0);
                text.append(marker).append(" ".repeat(Math.max(0, indent - 2))).append(trimmed.substring(1));
            } else {
                text.append(' ').append(line.substring(Math.min(indent, 2)));
            }
            text.append('\n');
        }
        return text.toString();
    }

    /** A code fence longer than any run of backticks in the text. */
    private static String fence(String text) {
        int longest = 0;
        int run = 0;
        for (char ch : text.toCharArray()) {
            run = ch == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return "`".repeat(Math.max(3, longest + 1));
    }

    /** Inline code that no backtick in the text can end early. */
    private static String code(String s) {
        s = printable(s, ' ');
        int longest = 0;
        int run = 0;
        for (char ch : s.toCharArray()) {
            run = ch == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String fence = "`".repeat(longest + 1);
        String pad = longest > 0 ? " " : "";
        return fence + pad + s.replace("|", "\\|") + pad + fence;
    }

    /**
     * The text with every control character (line breaks, escape sequences, C1 controls) and bidirectional
     * override replaced: names the gateway answers are shown as they are, never interpreted.
     */
    static String printable(String s, char lineBreak) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            if (ch == '\n') {
                out.append(lineBreak);
            } else if (Character.isISOControl(ch) || (ch >= '\u202a' && ch <= '\u202e')
                    || (ch >= '\u2066' && ch <= '\u2069')) {
                out.append('\ufffd');
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /** Text for a table cell: no '|' ends the cell, no markup or HTML is interpreted. */
    static String cell(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (char ch : printable(s, ' ').toCharArray()) {
            switch (ch) {
                case '|', '\\', '`', '*', '_', '[', ']', '<', '>', '#' -> out.append('\\').append(ch);
                case '\n', '\r' -> out.append(' ');
                default -> out.append(ch);
            }
        }
        return out.toString();
    }

    private static String html(String s) {
        return "<code>" + printable(s, ' ').replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</code>";
    }
}
