package io.certform.apply;

import io.certform.base.Sleeper;
import io.certform.remote.RemoteDirectory;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Reads of the remote side retried like any idempotent call: no answer, 429 (honouring Retry-After) and 5xx are
 * tried again with backoff, so that one throttled group read does not fail a whole refresh.
 */
public final class RetriedReads implements RemoteDirectory.Reads {
    private final Retrier retrier;

    public RetriedReads(Backoff backoff, Sleeper sleeper) {
        this.retrier = new Retrier(backoff, sleeper, new Random(), new ConcurrencyLimiter(64), null);
    }

    @Override
    public <T> T read(Supplier<T> call) throws InterruptedException {
        return retrier.idempotent(call, (attempt, error, delay) -> { });
    }
}
