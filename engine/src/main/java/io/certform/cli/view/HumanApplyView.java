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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Apply progress for people. A small apply prints one line per event, as Terraform does, and a heartbeat for a
 * call that takes long ("Still creating... [10s elapsed]"). A large one (over {@link #DETAILED_UP_TO} changes)
 * prints one line per failure and, on a terminal, a progress bar redrawn in place a few times a second
 * (done / total, rate, ETA, retries, throttles); elsewhere (a pipeline, a CI log) a progress line every few
 * seconds: ten thousand bindings do not print twenty thousand lines. In a large apply, a binding that succeeds
 * takes no lock and prints nothing.
 */
public final class HumanApplyView implements ApplyView {
    /** The most changes shown one line per event. */
    public static final int DETAILED_UP_TO = 50;
    static final Duration HEARTBEAT = Duration.ofSeconds(10);
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    static final Duration REDRAW_EVERY = Duration.ofMillis(200);
    private static final int BAR_WIDTH = 24;

    private final PrintWriter out;
    private final PrintWriter err;
    private final Style style;
    private final String command;
    private final Clock clock;
    private final Map<String, Started> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger retried = new AtomicInteger();
    private final AtomicInteger throttled = new AtomicInteger();
    private volatile int total;
    private volatile boolean detailed = true;
    private boolean remoteRead = true;
    private boolean terminal;
    /** A progress bar is on the terminal's last line: the next line printed clears it first. */
    private boolean barShown;
    private volatile Instant begun;
    private Instant lastProgress;
    private ScheduledExecutorService ticker;

    private record Started(ResourceChange change, Instant at) {
    }

    private RolloutPlan rollout;
    private boolean compact;

    /** @param command what the user ran ({@code apply} or {@code destroy}), for "run it again" */
    public HumanApplyView(PrintWriter out, PrintWriter err, Style style, String command, Clock clock) {
        this.out = out;
        this.err = err;
        this.style = style;
        this.command = command;
        this.clock = clock;
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
        total = (int) plan.changes().stream().filter(c -> c.action().changes()).count();
        detailed = total <= DETAILED_UP_TO;
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
        terminal = isTerminal;
        return this;
    }

    /** Starts the heartbeat (small applies) or the progress lines (large ones); stopped by the summary. */
    public synchronized void startTicking() {
        begun = clock.instant();
        lastProgress = begun;
        if (ticker == null) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "apply-progress");
                t.setDaemon(true);
                return t;
            });
            long every = (detailed ? HEARTBEAT : terminal ? REDRAW_EVERY : PROGRESS_EVERY).toMillis();
            ticker.scheduleAtFixedRate(() -> tick(clock.instant()), every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** One beat: heartbeats for long calls (small applies), or a progress line (large ones). */
    public synchronized void tick(Instant now) {
        if (detailed) {
            for (Started s : inFlight.values()) {
                long seconds = Duration.between(s.at(), now).toSeconds();
                if (seconds >= HEARTBEAT.toSeconds()) {
                    out.println(style.bold(s.change().address()) + ": Still " + progressive(s.change()) + "... ["
                            + (seconds / HEARTBEAT.toSeconds() * HEARTBEAT.toSeconds()) + "s elapsed]");
                }
            }
            out.flush();
            return;
        }
        if (terminal) {
            out.print("\r" + progressBar(now) + "\033[K");
            barShown = true;
            out.flush();
            return;
        }
        if (lastProgress != null && Duration.between(lastProgress, now).compareTo(PROGRESS_EVERY) < 0) {
            return;
        }
        lastProgress = now;
        out.println(progressLine(now));
        out.flush();
    }

    /** {@code [#########...............]  3812/10000  38%  1290/s  ETA 5s  1 failed  2 retries  0 throttled} */
    String progressBar(Instant now) {
        int finished = done.get() + failed.get();
        int filled = total == 0 ? BAR_WIDTH : (int) ((long) finished * BAR_WIDTH / total);
        double rate = rate(finished, now);
        return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + finished + "/" + total + "  "
                + (total == 0 ? 100 : finished * 100L / total) + "%  " + String.format("%.0f/s", rate) + "  ETA "
                + eta(finished, rate) + "  " + failed.get() + " failed  " + retried.get() + " retries  "
                + throttled.get() + " throttled";
    }

    private double rate(int finished, Instant now) {
        double seconds = begun == null ? 0 : Math.max(0.001, Duration.between(begun, now).toMillis() / 1000.0);
        return seconds == 0 ? 0 : finished / seconds;
    }

    private String eta(int finished, double rate) {
        return rate <= 0 ? "?" : Math.round((total - finished) / rate) + "s";
    }

    /** Before a line of its own: the bar's line is cleared, and the next tick draws it again below. */
    private void clearBar() {
        if (barShown) {
            out.print("\r\033[K");
            barShown = false;
        }
    }

    String progressLine(Instant now) {
        int finished = done.get() + failed.get();
        double rate = rate(finished, now);
        return String.format("Progress: %d/%d done, %d failed, %d in flight, %.0f/s, ETA %s, %d retries, %d throttled",
                done.get(), total, failed.get(), inFlight.size(), rate, eta(finished, rate), retried.get(),
                throttled.get());
    }

    private static String progressive(ResourceChange change) {
        return switch (change.action()) {
            case CREATE -> "creating";
            case UPDATE -> "modifying";
            case REPLACE -> "replacing";
            case CREATE_THEN_DELETE -> "replacing (create first)";
            case DELETE -> "destroying";
            case ADOPT -> "adopting";
            default -> "working";
        };
    }

    private void stopTicking() {
        ScheduledExecutorService t;
        synchronized (this) {
            t = ticker;
            ticker = null;
        }
        if (t != null) {
            t.shutdownNow();
        }
    }

    @Override
    public void waveStarting(io.certform.rollout.RolloutPlan.Wave wave, int waves) {
        synchronized (this) {
            clearBar();
            out.println();
            out.println(style.bold("Wave " + wave.number() + " of " + waves + ":") + " " + wave.addresses().size()
                    + " change(s)");
            out.flush();
        }
    }

    @Override
    public void verified(io.certform.verify.Verification v) {
        if (v.verified() && !detailed) {
            return;
        }
        synchronized (this) {
            clearBar();
            out.println("  " + (v.verified() ? style.green("verified") : style.red(v.outcome().name().toLowerCase(
                    java.util.Locale.ROOT))) + " " + v.domain() + (v.verified() ? "" : ": " + v.detail()));
            out.flush();
        }
    }

    @Override
    public void waveDone(io.certform.workflow.RolloutRun.WaveReport r) {
        synchronized (this) {
            clearBar();
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
            clearBar();
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
        inFlight.put(change.address(), new Started(change, clock.instant()));
        if (!detailed) {
            return;
        }
        synchronized (this) {
            startedLine(change);
        }
    }

    private void startedLine(ResourceChange change) {
        out.println(style.bold(change.address()) + ": " + switch (change.action()) {
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
        inFlight.remove(change.address());
        done.incrementAndGet();
        if (!detailed) {
            if (note != null) {
                synchronized (this) {
                    clearBar();
                    out.println(style.bold(change.address()) + ": " + note);
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
        out.println(style.bold(change.address()) + ": " + verb + " complete after " + seconds(took) + id
                + (note == null ? "" : " (" + note + ")"));
        out.flush();
    }

    @Override
    public synchronized void failed(ResourceChange change, ApiException error) {
        inFlight.remove(change.address());
        failed.incrementAndGet();
        clearBar();
        String first = firstFailedWith.putIfAbsent(error.getMessage(), change.address());
        out.println(style.bold(change.address()) + ": " + style.red("failed: " + (first == null ? error.getMessage()
                : "the same error as " + first)));
        out.flush();
    }

    /** For each failure's message, the first address that failed with it: a cause is spelt out once. */
    private final Map<String, String> firstFailedWith = new java.util.HashMap<>();

    @Override
    public void retrying(ResourceChange change, int attempt, ApiException error, Duration delay) {
        retried.incrementAndGet();
        if (error.isThrottled()) {
            throttled.incrementAndGet();
        }
        if (!detailed) {
            return;
        }
        synchronized (this) {
            retryLine(change, attempt, error, delay);
        }
    }

    private void retryLine(ResourceChange change, int attempt, ApiException error, Duration delay) {
        out.println(style.dim(change.address() + ": retrying in " + String.format("%.1fs", delay.toMillis() / 1000.0)
                + " after " + error.getMessage() + " (attempt " + attempt + ")"));
        out.flush();
    }

    @Override
    public synchronized void unknown(ResourceChange change, String why) {
        inFlight.remove(change.address());
        failed.incrementAndGet();
        clearBar();
        out.println(style.bold(change.address()) + ": " + style.yellow("outcome unknown: " + why));
        out.flush();
    }

    @Override
    public void skipped(ResourceChange change, String why) {
        if (!detailed) {
            return;
        }
        synchronized (this) {
            skippedLine(change, why);
        }
    }

    private void skippedLine(ResourceChange change, String why) {
        out.println(style.bold(change.address()) + ": " + style.yellow("not attempted (" + why + ")"));
        out.flush();
    }

    /** Whether a rollout stopped before its last wave (set by {@link #rolloutReport}, read by {@link #summary}). */
    private volatile boolean rolloutStopped;

    /** The closing lines: Terraform's "Apply complete!" or a failure summary naming every failed address. */
    @Override
    public void summary(ApplyResult result, String stateFile) {
        stopTicking();
        synchronized (this) {
            clearBar();
        }
        if (!detailed && begun != null) {
            out.println(progressLine(clock.instant()));
        }
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
        out.flush();
    }

    private String title() {
        return command.equals("destroy") ? "Destroy" : "Apply";
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + "s";
    }
}
