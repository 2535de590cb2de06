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
    private final StopFlag stop;
    private final Sleeper writeWaits;

    Retrier(Backoff backoff, Sleeper sleeper, Random random, ConcurrencyLimiter limiter, RatePacer pacer) {
        this(backoff, sleeper, random, limiter, pacer, new StopFlag());
    }

    /** @param stop once raised, no write leaves, and a write's waits (rate, back-off) end at once */
    Retrier(Backoff backoff, Sleeper sleeper, Random random, ConcurrencyLimiter limiter, RatePacer pacer,
            StopFlag stop) {
        this.backoff = backoff;
        this.sleeper = sleeper;
        this.random = random;
        this.limiter = limiter;
        this.pacer = pacer;
        this.stop = stop;
        this.writeWaits = stop.cutting(sleeper);
    }

    Backoff backoff() {
        return backoff;
    }

    /** One attempt of a read: within the limit and rate; throttling and success feed the limiter. */
    <T> T once(Supplier<T> call) throws InterruptedException {
        return once(null, call);
    }

    /**
     * One attempt of a write: within the limit and rate, and only then through its {@code gate}, which journals the
     * attempt's intent just before the call leaves. A run stopped meanwhile sends nothing, but for a write that
     * finishes a sequence already begun ({@link SendGate#finishing()}): that one waits its turn and is sent.
     *
     * @throws NotSent the run was stopped before the call left (nothing of this attempt was journalled)
     */
    <T> T once(SendGate gate, Supplier<T> call) throws InterruptedException {
        boolean stoppable = gate != null && !gate.finishing();
        if (pacer != null) {
            pacer.acquire(stoppable ? writeWaits : sleeper);
        }
        limiter.acquire();
        try {
            if (gate != null) {
                if (stoppable && stop.get()) {
                    throw new NotSent("the run was stopped before the call was sent");
                }
                gate.open();
            }
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

    /** An idempotent read, retried while its failure is retryable and attempts remain. */
    <T> T idempotent(Supplier<T> call, Listener listener) throws InterruptedException {
        return idempotent(null, call, listener);
    }

    /**
     * An idempotent call, retried while its failure is retryable and attempts remain; a write (with its
     * {@code gate}) journals each attempt's intent as it leaves. A write stopped before a retry left ends with the
     * last attempt's failure (its outcome is what that failure says), or {@link NotSent} when none was sent.
     */
    <T> T idempotent(SendGate gate, Supplier<T> call, Listener listener) throws InterruptedException {
        ApiException last = null;
        for (int attempt = 1; ; attempt++) {
            try {
                return once(gate, call);
            } catch (NotSent stopped) {
                if (last != null) {
                    throw last;
                }
                throw stopped;
            } catch (ApiException e) {
                if (!e.isRetryable() || attempt >= backoff.maxAttempts()) {
                    throw e;
                }
                last = e;
                pauseWrite(gate, attempt, e, listener);
            }
        }
    }

    /** Waits before the next attempt of a read, and tells the listener. */
    void pause(int attempt, ApiException error, Listener listener) throws InterruptedException {
        sleeper.sleep(delay(attempt, error, listener));
    }

    /**
     * Waits before the next attempt of a call through {@code gate}: for a write that a stop gives up, a stop ends
     * the wait at once (the attempt is then not sent); a read or a finishing write waits it out.
     */
    void pauseWrite(SendGate gate, int attempt, ApiException error, Listener listener) throws InterruptedException {
        (gate == null || gate.finishing() ? sleeper : writeWaits).sleep(delay(attempt, error, listener));
    }

    private Duration delay(int attempt, ApiException error, Listener listener) {
        Duration delay;
        synchronized (random) {
            delay = backoff.delay(attempt, error, random);
        }
        listener.retrying(attempt, error, delay);
        return delay;
    }
}
