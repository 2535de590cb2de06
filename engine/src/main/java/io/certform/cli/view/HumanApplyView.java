package io.certform.cli.view;

import io.certform.api.ApiException;
import io.certform.apply.ApplyResult;
import io.certform.plan.Action;
import io.certform.plan.Drift;
import io.certform.plan.Plan;
import io.certform.plan.ResourceChange;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Apply progress for people, one line per event, as Terraform prints it. */
public final class HumanApplyView implements ApplyView {
    private final PrintWriter out;
    private final PrintWriter err;
    private final Style style;
    private final String command;

    /** @param command what the user ran ({@code apply} or {@code destroy}), for "run it again" */
    public HumanApplyView(PrintWriter out, PrintWriter err, Style style, String command) {
        this.out = out;
        this.err = err;
        this.style = style;
        this.command = command;
    }

    @Override
    public void planned(Plan plan, Map<String, Drift> drift, Instant now) {
        new HumanPlanView(out, style).render(plan, drift, now);
    }

    @Override
    public void note(String text) {
        err.println(text);
        err.flush();
    }

    @Override
    public synchronized void started(ResourceChange change) {
        out.println(style.bold(change.address()) + ": " + switch (change.action()) {
            case CREATE -> "Creating...";
            case UPDATE -> "Modifying... [ssl_id=" + change.before().sslId() + "]";
            case REPLACE -> "Replacing... [ssl_id=" + change.before().sslId() + "]";
            case DELETE -> "Destroying... [ssl_id=" + change.before().sslId() + "]";
            default -> "";
        });
        out.flush();
    }

    @Override
    public synchronized void completed(ResourceChange change, String sslId, Duration took, String note) {
        String verb = switch (change.action()) {
            case CREATE -> "Creation";
            case UPDATE -> "Modifications";
            case REPLACE -> "Replacement";
            case DELETE -> "Destruction";
            default -> "";
        };
        String id = change.action() == Action.DELETE ? "" : " [ssl_id=" + sslId + "]";
        out.println(style.bold(change.address()) + ": " + verb + " complete after " + seconds(took) + id
                + (note == null ? "" : " (" + note + ")"));
        out.flush();
    }

    @Override
    public synchronized void failed(ResourceChange change, ApiException error) {
        out.println(style.bold(change.address()) + ": " + style.red("failed: " + error.getMessage()));
        out.flush();
    }

    @Override
    public synchronized void retrying(ResourceChange change, int attempt, ApiException error, Duration delay) {
        out.println(style.dim(change.address() + ": retrying in " + String.format("%.1fs", delay.toMillis() / 1000.0)
                + " after " + error.getMessage() + " (attempt " + attempt + ")"));
        out.flush();
    }

    @Override
    public synchronized void unknown(ResourceChange change, String why) {
        out.println(style.bold(change.address()) + ": " + style.yellow("outcome unknown: " + why));
        out.flush();
    }

    @Override
    public synchronized void skipped(ResourceChange change, String why) {
        out.println(style.bold(change.address()) + ": " + style.yellow("not attempted (" + why + ")"));
        out.flush();
    }

    /** The closing lines: Terraform's "Apply complete!" or a failure summary naming every failed address. */
    @Override
    public void summary(ApplyResult result, String stateFile) {
        String counts = "Resources: " + result.added() + " added, " + result.changed() + " changed, "
                + result.destroyed() + " destroyed.";
        out.println();
        ApplyResult.Stats stats = result.stats();
        if (stats != null && (stats.retries() > 0 || stats.throttles() > 0)) {
            out.println("Retried " + stats.retries() + (stats.retries() == 1 ? " call" : " calls") + "; throttled "
                    + stats.throttles() + (stats.throttles() == 1 ? " time" : " times")
                    + (stats.throttles() > 0 ? ", parallelism lowered to " + stats.lowestParallelism() + " at the lowest"
                    : "") + ".");
        }
        if (result.interrupted()) {
            out.println(style.yellow(style.bold("Interrupted.")) + " " + counts + " Not started: "
                    + result.skipped().size() + ". Everything done is recorded in " + stateFile
                    + "; run " + command + " again to finish.");
            out.flush();
            return;
        }
        if (result.ok()) {
            out.println(style.green(style.bold(title() + " complete! " + counts)));
        } else {
            out.println(style.red(style.bold(title() + " failed.")) + " " + counts + " " + result.failures().size()
                    + " failed" + (result.skipped().isEmpty() ? "" : ", " + result.skipped().size() + " not attempted")
                    + ".");
            for (ApplyResult.Failure f : result.failures()) {
                out.println("  " + f.address() + ": " + (f.outcomeUnknown() ? "outcome unknown (" + f.error().getMessage()
                        + "): not sent again; the next run settles it first" : f.error().getMessage()));
            }
            if (!result.skipped().isEmpty()) {
                out.println("  not attempted: " + String.join(", ", result.skipped()));
            }
            out.println("Every change that succeeded is recorded in " + stateFile
                    + "; run " + command + " again to retry the rest.");
        }
        out.flush();
    }

    private String title() {
        return command.equals("destroy") ? "Destroy" : "Apply";
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + "s";
    }
}
