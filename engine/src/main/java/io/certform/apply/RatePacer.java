package io.certform.apply;

import io.certform.base.Sleeper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** An optional cap on calls per second ({@code --rate N/s}): calls are spaced evenly. */
final class RatePacer {
    private final Duration spacing;
    private final Clock clock;
    private final Sleeper sleeper;
    private Instant next;

    RatePacer(double perSecond, Clock clock, Sleeper sleeper) {
        this.spacing = Duration.ofNanos((long) (1_000_000_000L / perSecond));
        this.clock = clock;
        this.sleeper = sleeper;
    }

    void acquire() throws InterruptedException {
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
            sleeper.sleep(wait);
        }
    }
}
