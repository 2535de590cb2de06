package io.certform.cli.view;

import io.certform.api.ApiException;
import io.certform.apply.ApplyResult;
import io.certform.plan.Action;
import io.certform.plan.Drift;
import io.certform.plan.Plan;
import io.certform.rollout.RolloutPlan;
import io.certform.plan.ResourceChange;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Apply progress for people. A small apply prints one line per event, as Terraform does, and a heartbeat for a
 * call that takes long ("Still creating... [10s elapsed]"). A large one (over {@link #DETAILED_UP_TO} changes)
 * prints one line per failure and, on a terminal, a progress bar redrawn in place a few times a second
 * (done / total, rate, ETA, retries, throttles); elsewhere (a pipeline, a CI log) a progress line every few
 * seconds: ten thousand bindings do not print twenty thousand lines. In a large apply, a binding that succeeds
 * takes no lock and prints nothing.
 *
 * <p>Locking: the worker threads and the ticker thread of {@link ApplyProgressBar} print to the same writer under
 * one lock, this view's monitor. While the apply runs it guards every line printed, {@link #firstFailedWith} and
 * the bar's state (whether a bar is drawn, the ticker, the last progress line); the ticker takes it around each
 * beat. The counts are atomic and the calls in flight a concurrent map: a success is counted without the lock.
 */
public final class HumanApplyView implements ApplyView {
    /** The most changes shown one line per event. */
    public static final int DETAILED_UP_TO = 50;

    private final PrintWriter out;
    private final PrintWriter err;
    private final Style style;
    private final String command;
    /** The counts, the heartbeats and the progress bar; it prints through this view's monitor. */
    private final ApplyProgressBar progress;
    private boolean remoteRead = true;

    private RolloutPlan rollout;
    private boolean compact;

    /** @param command what the user ran ({@code apply} or {@code destroy}), for "run it again" */
    public HumanApplyView(PrintWriter out, PrintWriter err, Style style, String command, Clock clock) {
        this.out = out;
        this.err = err;
        this.style = style;
        this.command = command;
        this.progress = new ApplyProgressBar(out, style, clock, this);
    }

    @Override
    public HumanApplyView rollingOut(RolloutPlan value) {
        rollout = value;
        return this;
    }

    @Override
    public void planned(Plan plan, Map<String, Drift> drift, Instant now) {
        HumanPlanView view = new HumanPlanView(out, style).rollingOut(rollout);
        if (compact) {
            view.compact();
        }
        (remoteRead ? view : view.withoutRefresh()).render(plan, drift, now);
        progress.planned((int) plan.changes().stream().filter(c -> c.action().changes()).count(), DETAILED_UP_TO);
    }

    /** The plan is shown one line per change ({@code apply --compact}). */
    public HumanApplyView compact() {
        compact = true;
        return this;
    }

    /** The plan was made without reading the remote side ({@code --refresh=false}). */
    public HumanApplyView withoutRefresh() {
        remoteRead = false;
        return this;
    }

    /** Standard output is a terminal: a large apply draws a progress bar in place instead of progress lines. */
    public HumanApplyView onTerminal(boolean isTerminal) {
        progress.onTerminal(isTerminal);
        return this;
    }

    /** Starts the heartbeat (small applies) or the progress lines (large ones); stopped by the summary. */
    public synchronized void startTicking() {
        progress.startTicking();
    }

    /** One beat: heartbeats for long calls (small applies), or a progress line (large ones). */
    public synchronized void tick(Instant now) {
        progress.tick(now);
    }

    @Override
    public void waveStarting(io.certform.rollout.RolloutPlan.Wave wave, int waves) {
        synchronized (this) {
            progress.clearBar();
            out.println();
            out.println(style.bold("Wave " + wave.number() + " of " + waves
                    + (wave.provider() == null ? "" : " (provider " + wave.provider() + ")") + ":") + " " + wave.addresses().size()
                    + " change(s)");
            out.flush();
        }
    }

    @Override
    public void verified(io.certform.verify.Verification v) {
        if (v.verified() && !progress.detailed()) {
            return;
        }
        synchronized (this) {
            progress.clearBar();
            out.println("  " + (v.verified() ? style.green("verified") : style.red(v.outcome().name().toLowerCase(
                    java.util.Locale.ROOT))) + " " + v.domain() + (v.verified() ? "" : ": " + v.detail()));
            out.flush();
        }
    }

    @Override
    public void waveDone(io.certform.workflow.RolloutRun.WaveReport r) {
        synchronized (this) {
            progress.clearBar();
            out.println((r.number() == 0 ? "Check of earlier changes" : "Wave " + r.number()) + ": " + r.bound()
                    + " bound, " + r.verified() + " verified, " + r.failed() + " failed"
                    + (r.rolledBack() > 0 ? ", " + r.rolledBack() + " rolled back" : ""));
            out.flush();
        }
    }

    @Override
    public void rolloutReport(io.certform.workflow.RolloutRun.Report report) {
        rolloutStopped = report.stopReason() != null && !report.interrupted();
        synchronized (this) {
            progress.clearBar();
            out.println();
            out.println(style.bold("Rollout:") + " " + (report.stopReason() == null ? "every wave done"
                    : "stopped: " + report.stopReason() + (report.rolledBack() ? "; the waves done were rolled back"
                    : "")));
            out.print(RolloutReportText.table(report));
            out.flush();
        }
    }

    @Override
    public void note(String text) {
        err.println(text);
        err.flush();
    }

    @Override
    public void started(ResourceChange change) {
        progress.started(change);
        if (!progress.detailed()) {
            return;
        }
        synchronized (this) {
            startedLine(change);
        }
    }

    private void startedLine(ResourceChange change) {
        out.println(style.bold(change.key()) + ": " + switch (change.action()) {
            case CREATE -> "Creating...";
            case UPDATE -> "Modifying... [ssl_id=" + change.before().sslId() + "]";
            case REPLACE -> "Replacing... [ssl_id=" + change.before().sslId() + "]";
            case CREATE_THEN_DELETE -> "Creating the replacement first... [old ssl_id=" + change.before().sslId()
                    + "]";
            case DELETE -> "Destroying... [ssl_id=" + change.before().sslId() + "]";
            case ADOPT -> "Adopting... [ssl_id=" + change.adopted().sslId() + "]";
            default -> "";
        });
        out.flush();
    }

    @Override
    public void completed(ResourceChange change, String sslId, Duration took, String note) {
        progress.completed(change);
        if (!progress.detailed()) {
            if (note != null) {
                synchronized (this) {
                    progress.clearBar();
                    out.println(style.bold(change.key()) + ": " + note);
                }
            }
            return;
        }
        synchronized (this) {
            completedLine(change, sslId, took, note);
        }
    }

    private void completedLine(ResourceChange change, String sslId, Duration took, String note) {
        String verb = switch (change.action()) {
            case CREATE -> "Creation";
            case UPDATE -> "Modifications";
            case REPLACE, CREATE_THEN_DELETE -> "Replacement";
            case DELETE -> "Destruction";
            case ADOPT -> "Adoption";
            default -> "";
        };
        String id = change.action() == Action.DELETE ? "" : " [ssl_id=" + sslId + "]";
        out.println(style.bold(change.key()) + ": " + verb + " complete after " + seconds(took) + id
                + (note == null ? "" : " (" + note + ")"));
        out.flush();
    }

    @Override
    public synchronized void failed(ResourceChange change, ApiException error) {
        progress.failed(change);
        progress.clearBar();
        String first = firstFailedWith.putIfAbsent(error.getMessage(), change.key());
        out.println(style.bold(change.key()) + ": " + style.red("failed: " + (first == null ? error.getMessage()
                : "the same error as " + first)));
        out.flush();
    }

    /** For each failure's message, the first address that failed with it: a cause is spelt out once. */
    private final Map<String, String> firstFailedWith = new java.util.HashMap<>();

    @Override
    public void retrying(ResourceChange change, int attempt, ApiException error, Duration delay) {
        progress.retrying(error.isThrottled());
        if (!progress.detailed()) {
            return;
        }
        synchronized (this) {
            retryLine(change, attempt, error, delay);
        }
    }

    private void retryLine(ResourceChange change, int attempt, ApiException error, Duration delay) {
        out.println(style.dim(change.key() + ": retrying in " + String.format("%.1fs", delay.toMillis() / 1000.0)
                + " after " + error.getMessage() + " (attempt " + attempt + ")"));
        out.flush();
    }

    @Override
    public synchronized void unknown(ResourceChange change, String why) {
        progress.failed(change);
        progress.clearBar();
        out.println(style.bold(change.key()) + ": " + style.yellow("outcome unknown: " + why));
        out.flush();
    }

    @Override
    public void skipped(ResourceChange change, String why) {
        if (!progress.detailed()) {
            return;
        }
        synchronized (this) {
            skippedLine(change, why);
        }
    }

    private void skippedLine(ResourceChange change, String why) {
        out.println(style.bold(change.key()) + ": " + style.yellow("not attempted (" + why + ")"));
        out.flush();
    }

    /** Whether a rollout stopped before its last wave (set by {@link #rolloutReport}, read by {@link #summary}). */
    private volatile boolean rolloutStopped;

    /** The closing lines: Terraform's "Apply complete!" or a failure summary naming every failed address. */
    @Override
    public void summary(ApplyResult result, String stateFile) {
        progress.stop();
        // as Terraform's "Resources: 1 imported, ...": the adopted count only when there is one
        String counts = "Resources: " + (result.adopted() > 0 ? result.adopted() + " adopted, " : "") + result.added() + " added, " + result.changed() + " changed, "
                + result.destroyed() + " destroyed.";
        out.println();
        ApplyResult.Stats stats = result.stats();
        if (stats != null && (stats.retries() > 0 || stats.throttles() > 0)) {
            out.println("Retried " + stats.retries() + (stats.retries() == 1 ? " call" : " calls") + "; throttled "
                    + stats.throttles() + (stats.throttles() == 1 ? " time" : " times")
                    + (stats.throttles() > 0 ? ", parallelism lowered to " + stats.lowestParallelism() + " at the lowest"
                    : "") + ".");
        }
        if (result.interrupted() || result.exhausted() != null) {
            out.println(style.yellow(style.bold(result.interrupted() ? "Interrupted." : "Stopped.")) + " " + counts
                    + " Not started: "
                    + result.skipped().size() + ". Everything done is recorded in " + stateFile
                    + "; run " + command + " again to finish.");
            providerLines(result);
            out.flush();
            return;
        }
        if (result.ok() && rolloutStopped) {
            // every call sent succeeded, but the run did not do what was asked: never "complete"
            out.println(style.red(style.bold(title() + " stopped:")) + " the rollout did not finish. " + counts);
        } else if (result.ok()) {
            out.println(style.green(style.bold(title() + " complete! " + counts)));
        } else {
            out.println(style.red(style.bold(title() + " failed.")) + " " + counts + " " + result.failures().size()
                    + " failed" + (result.skipped().isEmpty() ? "" : ", " + result.skipped().size() + " not attempted")
                    + ".");
            Map<String, List<String>> byCause = new java.util.LinkedHashMap<>();
            for (ApplyResult.Failure f : result.failures()) {
                if (f.outcomeUnknown()) {
                    out.println("  " + f.address() + ": outcome unknown (" + f.error().getMessage()
                            + "): not sent again; the next run settles it first");
                } else {
                    byCause.computeIfAbsent(f.error().getMessage(), k -> new ArrayList<>()).add(f.address());
                }
            }
            byCause.forEach((cause, addresses) -> out.println("  " + (addresses.size() == 1 ? addresses.get(0)
                    : addresses.size() + " bindings (" + String.join(", ", addresses) + ")") + ": " + cause));
            if (!result.skipped().isEmpty()) {
                out.println("  not attempted: " + String.join(", ", result.skipped()));
            }
            out.println("Every change that succeeded is recorded in " + stateFile
                    + "; run " + command + " again to retry the rest.");
        }
        providerLines(result);
        out.flush();
    }

    /** A fleet's run: one line per provider, what it did, failed and did not attempt. */
    private void providerLines(ApplyResult result) {
        if (result.providers().size() < 2) {
            return;
        }
        result.providers().forEach((name, r) -> out.println("  provider." + name + ": " + r.added() + " added, "
                + r.changed() + " changed, " + r.destroyed() + " destroyed"
                + (r.failures().isEmpty() ? "" : ", " + r.failures().size() + " failed")
                + (r.skipped().isEmpty() ? "" : ", " + r.skipped().size() + " not attempted")
                + (r.ok() ? "" : r.failures().stream().findFirst().map(f -> " (" + f.error().getMessage() + ")")
                .orElse("")) + "."));
    }

    private String title() {
        return command.equals("destroy") ? "Destroy" : "Apply";
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + "s";
    }
}
