package io.certform.cli.view;

import io.certform.plan.Action;
import io.certform.plan.DesiredBinding;
import io.certform.plan.Drift;
import io.certform.plan.Plan;
import io.certform.plan.ResourceChange;
import io.certform.state.ResourceState;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A plan as GitHub/GitLab-flavoured Markdown, for a pull-request comment: the summary, one table row per change,
 * then each change's details (as the text plan shows them) in a collapsible {@code <details>}. No colour, and, as
 * everywhere, no secret: a private key is "(sensitive value)". The first line is a hidden marker, so that a
 * pipeline can find and update its earlier comment.
 */
public final class MarkdownPlanView implements PlanView {
    /** The hidden first line of every plan comment. */
    public static final String MARKER = "<!-- certform plan -->";

    private final PrintWriter out;

    public MarkdownPlanView(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void render(Plan plan, Map<String, Drift> drift, Instant now) {
        out.println(MARKER);
        out.println("### certform plan");
        out.println();
        if (!plan.hasChanges()) {
            out.println("**No changes.** The domains carry the certificates the manifest declares.");
        } else {
            out.println("**Plan:** " + HumanPlanView.summary(plan));
        }
        if (!drift.isEmpty()) {
            out.println();
            out.println("<details><summary>" + drift.size() + (drift.size() == 1 ? " binding" : " bindings")
                    + " changed outside certform</summary>");
            out.println();
            for (Drift d : drift.values()) {
                out.println("- " + code(d.address()) + " " + switch (d.kind()) {
                    case CHANGED -> "now carries another certificate (" + cell(d.found().sslName()) + ")"
                            + (d.differences().isEmpty() ? "" : ": " + cell(String.join("; ", d.differences())));
                    case REMOVED -> "carries no certificate any more";
                    case DOMAIN_GONE -> "is gone: its domain is no longer in its API group";
                });
            }
            out.println();
            out.println("</details>");
        }
        if (!plan.hasChanges()) {
            out.flush();
            return;
        }
        out.println();
        out.println("| | Address | Action | Certificate | Expires |");
        out.println("|:-:|---|---|---|---|");
        for (ResourceChange c : plan.changes()) {
            if (c.action().changes()) {
                out.println("| " + code(c.action().symbol()) + " | " + code(c.address()) + " | "
                        + action(c) + " | " + certificate(c) + " | " + expires(c, now) + " |");
            }
        }
        for (ResourceChange c : plan.changes()) {
            if (c.action().changes()) {
                out.println();
                out.println("<details><summary>" + html(c.address()) + ": " + action(c) + "</summary>");
                out.println();
                String block = diff(HumanPlanView.plainBlock(c, now));
                String fence = fence(block);
                out.println(fence + "diff");
                out.print(block);
                out.println(fence);
                out.println();
                out.println("</details>");
            }
        }
        out.flush();
    }

    private static String action(ResourceChange c) {
        return switch (c.action()) {
            case CREATE -> "create";
            case UPDATE -> "update in place";
            case REPLACE -> "replace";
            case DELETE -> c.forgetsOnly() ? "forget (nothing is sent)" : "destroy";
            case MOVE -> "move from " + code(c.before().address());
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
        String fence = s.contains("`") ? "`` " : "`";
        String close = s.contains("`") ? " ``" : "`";
        return fence + s.replace("|", "\\|") + close;
    }

    /** Text for a table cell: no '|' ends the cell, no markup or HTML is interpreted. */
    static String cell(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '|', '\\', '`', '*', '_', '[', ']', '<', '>', '#' -> out.append('\\').append(ch);
                case '\n', '\r' -> out.append(' ');
                default -> out.append(ch);
            }
        }
        return out.toString();
    }

    private static String html(String s) {
        return "<code>" + s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</code>";
    }
}
