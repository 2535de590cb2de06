package io.certform.cli;

import io.certform.base.Durations;

import io.certform.state.StateLockException;
import io.certform.state.StateStore;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The state lock: every command that writes state takes it. */
public final class LockOptions {
    @Option(names = {"--lock-timeout", "-lock-timeout"}, paramLabel = "D", defaultValue = "0s",
            description = "How long to wait for the state lock held by another run (e.g. 30s, 5m; default: fail at once).")
    String lockTimeout;

    StateStore.Held acquire(StateStore store, String operation) {
        Duration timeout;
        try {
            timeout = Durations.parse(lockTimeout);
        } catch (IllegalArgumentException e) {
            throw new CliException(Main.ERROR, "--lock-timeout: " + e.getMessage());
        }
        try {
            return store.lock(operation, timeout);
        } catch (StateLockException e) {
            throw new CliException(Main.ERROR, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(Main.ERROR, "interrupted while waiting for the state lock; nothing was changed.");
        }
    }
}
