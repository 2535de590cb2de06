package io.certform.cli;

import io.certform.base.Durations;

import io.certform.state.StateLock;
import io.certform.state.StateLockException;
import io.certform.state.StateStore;
import java.time.Duration;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/** The state lock: every command that writes state takes it. */
public final class LockOptions {
    @Option(names = {"--lock-timeout", "-lock-timeout"}, paramLabel = "D", defaultValue = "0s",
            description = "How long to wait for the state lock held by another run (e.g. 30s, 5m; default: fail at once).")
    String lockTimeout;

    @Option(names = {"--lock", "-lock"}, arity = "1", defaultValue = "true", paramLabel = "true|false",
            description = "Refused when false: certform always locks the state, and its lock ends with the run"
                    + " (held by the operating system, or a lease), so there is no stale lock to step around.")
    boolean lock;

    /**
     * Takes the state lock for {@code operation}; when another run holds it and --lock-timeout allows a wait, says so
     * on standard error (through {@code note}) before waiting.
     */
    StateStore.Held acquire(StateStore store, String operation, Consumer<String> note) {
        if (!lock) {
            throw new CliException(Main.ERROR, "-lock=false is refused: without the lock two runs could write the"
                    + " same state and lose each other's bindings. certform's lock never outlives its run (the"
                    + " operating system, or the lease, releases it when the process ends), so a lock that is in the"
                    + " way belongs to a run still going: wait for it with -lock-timeout=5m, or, for a PostgreSQL"
                    + " lease whose holder is gone, run 'certform force-unlock LOCK_ID'. Nothing was changed.");
        }
        Duration timeout;
        try {
            timeout = Durations.parse(lockTimeout);
        } catch (IllegalArgumentException e) {
            throw new CliException(Main.ERROR, "--lock-timeout: " + e.getMessage());
        }
        try {
            if (timeout.isZero() || timeout.isNegative()) {
                return store.lock(operation, timeout);
            }
            try {
                return store.lock(operation, Duration.ZERO);
            } catch (StateLockException busy) {
                note.accept("The state is locked by " + holder(busy.holder()) + "; waiting up to "
                        + lockTimeout + " for it (--lock-timeout).");
            }
            return store.lock(operation, timeout);
        } catch (StateLockException e) {
            throw new CliException(Main.ERROR, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(Main.ERROR, "interrupted while waiting for the state lock; nothing was changed.");
        }
    }

    private static String holder(StateLock lock) {
        return lock == null ? "another run" : lock.who() + " (pid " + lock.pid() + ", " + lock.operation() + ")";
    }
}
