package io.certform.cli;

import io.certform.cli.view.JsonPlanView;
import io.certform.cli.view.MarkdownPlanView;
import io.certform.cli.view.PlanView;
import java.io.PrintWriter;

/** How {@code plan} and {@code show} print a plan: {@code --format text|json|markdown} ({@code --json} is json). */
enum PlanFormat {
    TEXT, JSON, MARKDOWN;

    static final String DESCRIPTION = "text (the default), json (as --json) or markdown (for a pull-request"
            + " comment: a summary table and collapsible details).";

    /**
     * The format asked for: {@code --format}, else json with {@code --json}, else text; both must agree, and
     * {@code --compact} (one line per change) shapes the text format only.
     */
    static PlanFormat of(PlanFormat format, boolean json, boolean compact) {
        PlanFormat chosen = format == null ? (json ? JSON : TEXT) : format;
        if (format != null && json && format != JSON) {
            throw new CliException(Main.ERROR, "--json and --format " + format.name().toLowerCase(java.util.Locale.ROOT)
                    + " ask for two formats; give one.");
        }
        if (compact && chosen != TEXT) {
            throw new CliException(Main.ERROR, "--compact shapes the text output only; it cannot be combined with"
                    + " --format " + chosen.name().toLowerCase(java.util.Locale.ROOT) + ". Drop one of them.");
        }
        return chosen;
    }

    /** The view for a machine format; null for text, whose view depends on the command. */
    PlanView machineView(PrintWriter out, String version) {
        return switch (this) {
            case JSON -> new JsonPlanView(out, version);
            case MARKDOWN -> new MarkdownPlanView(out);
            case TEXT -> null;
        };
    }
}
