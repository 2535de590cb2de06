package io.certform.apply;

import io.certform.base.Sleeper;

import io.certform.api.ApiException;
import java.time.Duration;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Runs API calls within the concurrency limit and rate, and retries the idempotent ones (GET, DELETE) with
 * backoff. POSTs are not retried here: the executor first checks whether a failed POST landed.
 */
final class Retrier {

    /** Hears each retry: what failed, and how long until the next attempt. */
    interface Listener {
        void retrying(int attempt, ApiException error, Duration delay);
    }

    private final Backoff backoff;
    private final Sleeper sleeper;
    private final Random random;
    private final ConcurrencyLimiter limiter;
    private final RatePacer pacer;

    Retrier(Backoff backoff, Sleeper sleeper, Random random, ConcurrencyLimiter limiter, RatePacer pacer) {
        this.backoff = backoff;
        this.sleeper = sleeper;
        this.random = random;
        this.limiter = limiter;
        this.pacer = pacer;
    }

    Backoff backoff() {
        return backoff;
    }

    /** One attempt: within the limit and rate; throttling and success feed the limiter. */
    <T> T once(Supplier<T> call) throws InterruptedException {
        if (pacer != null) {
            pacer.acquire();
        }
        limiter.acquire();
        try {
            T result = call.get();
            limiter.succeeded();
            return result;
        } catch (ApiException e) {
            if (e.isThrottled()) {
                limiter.throttled();
            }
            throw e;
        } finally {
            limiter.release();
        }
    }

    /** An idempotent call, retried while its failure is retryable and attempts remain. */
    <T> T idempotent(Supplier<T> call, Listener listener) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return once(call);
            } catch (ApiException e) {
                if (!e.isRetryable() || attempt >= backoff.maxAttempts()) {
                    throw e;
                }
                pause(attempt, e, listener);
            }
        }
    }

    /** Waits before the next attempt, and tells the listener. */
    void pause(int attempt, ApiException error, Listener listener) throws InterruptedException {
        Duration delay;
        synchronized (random) {
            delay = backoff.delay(attempt, error, random);
        }
        listener.retrying(attempt, error, delay);
        sleeper.sleep(delay);
    }
}
