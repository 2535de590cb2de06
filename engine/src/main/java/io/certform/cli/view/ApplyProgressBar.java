package io.certform.cli.view;

import io.certform.plan.ResourceChange;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live part of {@link HumanApplyView}: the counts of an apply under way, and what a ticker thread prints from
 * them while it runs: heartbeats for slow calls (small applies), a progress bar redrawn in place (large ones, on a
 * terminal) or a progress line every few seconds (large ones, elsewhere).
 *
 * <p>Locking: the ticker thread and the worker threads print to the same writer through one lock, the monitor of
 * the owning view ({@code lock}). That lock guards {@link #barShown}, {@link #lastProgress}, {@link #ticker} and
 * every print: the ticker takes it around each {@link #tick}, and the view holds it when it calls {@link #tick},
 * {@link #startTicking} or {@link #clearBar}. The counts are atomic and the map of calls in flight concurrent, so
 * that a worker whose binding succeeds in a large apply counts it without taking the lock.
 */
final class ApplyProgressBar {
    static final Duration HEARTBEAT = Duration.ofSeconds(10);
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    static final Duration REDRAW_EVERY = Duration.ofMillis(200);
    private static final int BAR_WIDTH = 24;

    private final PrintWriter out;
    private final Style style;
    private final Clock clock;
    private final Object lock;
    private final Map<String, Started> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger retried = new AtomicInteger();
    private final AtomicInteger throttled = new AtomicInteger();
    private volatile int total;
    private volatile boolean detailed = true;
    private boolean terminal;
    /** A progress bar is on the terminal's last line: the next line printed clears it first. */
    private boolean barShown;
    private volatile Instant begun;
    private Instant lastProgress;
    private ScheduledExecutorService ticker;

    private record Started(ResourceChange change, Instant at) {
    }

    /** @param lock the owning view's monitor, through which every line of the apply is printed */
    ApplyProgressBar(PrintWriter out, Style style, Clock clock, Object lock) {
        this.out = out;
        this.style = style;
        this.clock = clock;
        this.lock = lock;
    }

    /** The plan holds {@code changes} changes; up to {@code detailedUpTo} of them are shown one line per event. */
    void planned(int changes, int detailedUpTo) {
        total = changes;
        detailed = changes <= detailedUpTo;
    }

    /** Whether the apply is small enough to show one line per event. */
    boolean detailed() {
        return detailed;
    }

    void onTerminal(boolean isTerminal) {
        terminal = isTerminal;
    }

    void started(ResourceChange change) {
        inFlight.put(change.key(), new Started(change, clock.instant()));
    }

    void completed(ResourceChange change) {
        inFlight.remove(change.key());
        done.incrementAndGet();
    }

    /** A change failed, or its outcome is unknown. */
    void failed(ResourceChange change) {
        inFlight.remove(change.key());
        failed.incrementAndGet();
    }

    void retrying(boolean throttledCall) {
        retried.incrementAndGet();
        if (throttledCall) {
            throttled.incrementAndGet();
        }
    }

    /** Starts the heartbeat (small applies) or the progress lines (large ones). The caller holds {@code lock}. */
    void startTicking() {
        begun = clock.instant();
        lastProgress = begun;
        if (ticker == null) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "apply-progress");
                t.setDaemon(true);
                return t;
            });
            long every = (detailed ? HEARTBEAT : terminal ? REDRAW_EVERY : PROGRESS_EVERY).toMillis();
            ticker.scheduleAtFixedRate(() -> {
                Instant now = clock.instant();
                synchronized (lock) {
                    tick(now);
                }
            }, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** One beat: heartbeats for long calls (small applies), or a progress line (large ones). The caller holds
     * {@code lock}. */
    void tick(Instant now) {
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

    /** Before a line of its own: the bar's line is cleared, and the next tick draws it again below. The caller
     * holds {@code lock}. */
    void clearBar() {
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

    /** Before the summary: stops the ticker, clears the bar and, in a large apply, prints the last progress line. */
    void stop() {
        ScheduledExecutorService t;
        synchronized (lock) {
            t = ticker;
            ticker = null;
        }
        if (t != null) {
            t.shutdownNow();
        }
        synchronized (lock) {
            clearBar();
        }
        if (!detailed && begun != null) {
            out.println(progressLine(clock.instant()));
        }
    }
}
