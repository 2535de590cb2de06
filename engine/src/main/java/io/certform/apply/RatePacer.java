package io.certform.apply;

import io.certform.base.Sleeper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** An optional cap on calls per second ({@code --rate N/s}): calls are spaced evenly. */
final class RatePacer {
    private final Duration spacing;
    private final Clock clock;
    private Instant next;

    RatePacer(double perSecond, Clock clock) {
        this.spacing = Duration.ofNanos((long) (1_000_000_000L / perSecond));
        this.clock = clock;
    }

    /** Waits for the next slot through {@code waits} (a write's wait ends at once when the run is stopped). */
    void acquire(Sleeper waits) throws InterruptedException {
        Duration wait;
        synchronized (this) {
            Instant now = clock.instant();
            if (next == null || next.isBefore(now)) {
                next = now;
            }
            wait = Duration.between(now, next);
            next = next.plus(spacing);
        }
        if (!wait.isZero() && !wait.isNegative()) {
            waits.sleep(wait);
        }
    }
}
