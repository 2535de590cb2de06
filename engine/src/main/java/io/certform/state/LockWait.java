package io.certform.state;

import io.certform.base.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Tries to take a lock until a deadline, backing off from 100 ms to 2 s between attempts. */
public final class LockWait {

    private static final Duration FIRST_WAIT = Duration.ofMillis(100);
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(2);

    /** One attempt: the held lock, or null when another holds it ({@link #busy()} then says who). */
    public interface Attempt {
        StateStore.Held tryOnce() throws StateLockException;

        StateLockException busy();
    }

    private LockWait() {
    }

    public static StateStore.Held until(Clock clock, Sleeper sleeper, Duration timeout, Attempt attempt)
            throws StateLockException, InterruptedException {
        Instant deadline = clock.instant().plus(timeout);
        Duration wait = FIRST_WAIT;
        while (true) {
            StateStore.Held held = attempt.tryOnce();
            if (held != null) {
                return held;
            }
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                throw attempt.busy();
            }
            sleeper.sleep(wait.compareTo(left) < 0 ? wait : left);
            wait = wait.multipliedBy(2).compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait.multipliedBy(2);
        }
    }

    /** The message naming who holds the lock. */
    public static String lockedBy(StateLock holder, String where, String release) {
        if (holder == null) {
            return "Error acquiring the state lock: " + where + " is locked by another run, which has not written"
                    + " its details yet. Wait for it to finish (or pass --lock-timeout to wait).";
        }
        return "Error acquiring the state lock: the state is locked by another run.\n"
                + "  Lock Info:\n"
                + "    ID:        " + holder.id() + '\n'
                + "    Operation: " + holder.operation() + '\n'
                + "    Who:       " + holder.who() + '\n'
                + "    PID:       " + holder.pid() + '\n'
                + "    Created:   " + holder.created() + '\n'
                + (holder.expires() == null ? "" : "    Expires:   " + holder.expires()
                        + " (unless its holder renews it)\n")
                + "  Wait for that run to finish (or pass --lock-timeout to wait). " + release;
    }
}
