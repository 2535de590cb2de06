package io.certform.apply;

import io.certform.base.Sleeper;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The applier's one stop flag (Ctrl-C, SIGTERM, an authentication failure, something that ran out, a lost lease):
 * once raised, no new write leaves. A write waiting for a rate slot or a back-off stops waiting at once and gives up
 * before its intent is journalled ({@link #cutting}); the write that finishes a sequence already begun (the bind
 * after a rotation's removal: {@link SendGate#finishing}) is still sent.
 */
final class StopFlag {
    private boolean raised;

    synchronized boolean get() {
        return raised;
    }

    /** Raises the flag ({@code true}); a flag is never lowered. */
    synchronized void set(boolean value) {
        if (value && !raised) {
            raised = true;
            notifyAll();
        }
    }

    /**
     * Waits as {@code sleeper} does, but no longer once the flag is raised: the real sleeper's wait ends at once
     * when it is; an injected one (a test's) is not called after it.
     */
    Sleeper cutting(Sleeper sleeper) {
        if (sleeper != Sleeper.SYSTEM) {
            return duration -> {
                if (!get()) {
                    sleeper.sleep(duration);
                }
            };
        }
        return this::await;
    }

    private synchronized void await(Duration duration) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        while (!raised) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
