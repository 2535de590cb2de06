package io.certform.apply;

import io.certform.api.ApiException;
import io.certform.base.Sleeper;
import io.certform.plan.ResourceChange;
import io.certform.remote.RemoteReadException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * How a write of the shared model is sent: once, within the limit and rate. An answer that never came is settled
 * by looking at the remote side, with growing pauses, until the effect shows or the settle window (counted from
 * when the call was sent) has passed: never by sending the call again. A server-side failure answered with an
 * error is looked past once (it may have landed all the same), then sent again with backoff; a throttled call is
 * sent again after its pause; any other refusal is thrown.
 */
final class Settling {

    /** Looks for a write's effect: the result when it shows, null when it does not (yet). */
    @FunctionalInterface
    interface Look<T> {
        T look() throws InterruptedException, RemoteReadException;
    }

    private static final Duration FIRST_LOOK = Duration.ofMillis(250);
    private static final Duration LONGEST_LOOK = Duration.ofSeconds(10);

    private final Retrier retrier;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration settleWindow;
    private final DomainCalls.Retries retries;

    Settling(Retrier retrier, Clock clock, Sleeper sleeper, Duration settleWindow, DomainCalls.Retries retries) {
        this.retrier = retrier;
        this.clock = clock;
        this.sleeper = sleeper;
        this.settleWindow = settleWindow;
        this.retries = retries;
    }

    /**
     * Sends {@code call}; {@code what} names it for messages ("the creation of certificate wild"). Each attempt's
     * intent is journalled by {@code gate} once its waits are over, just before it leaves; the settle window counts
     * from then.
     *
     * @throws ApiException               the service refused it (it did not take effect)
     * @throws DomainCalls.OutcomeUnknown no answer came and the effect did not show within the settle window
     * @throws NotSent                    the run was stopped before an attempt left (after an earlier attempt's
     *                                    error answer, when {@code gate} is journalled: that one did not happen)
     */
    <T> T write(ResourceChange change, SendGate gate, Supplier<T> call, Look<T> look, String what)
            throws InterruptedException, DomainCalls.OutcomeUnknown {
        for (int attempt = 1; ; attempt++) {
            ApiException failure;
            try {
                return retrier.once(gate, call);
            } catch (ApiException e) {
                failure = e;
            }
            if (failure.isOutcomeUnknown()) {
                T found = settle(change, look, gate.sent(), what);
                if (found == null) {
                    throw new DomainCalls.OutcomeUnknown(failure, "no answer to " + what + " (" + failure.getMessage()
                            + "), and its effect did not show within the settle window (" + settleWindow.toSeconds()
                            + "s). It was not sent again. The next run looks before doing anything else.");
                }
                return found;
            }
            if (!failure.isRetryable()) {
                throw failure;
            }
            if (!failure.isThrottled()) {
                T found = lookOnce(look);
                if (found != null) {
                    return found;
                }
            }
            if (attempt >= retrier.backoff().maxAttempts()) {
                throw failure;
            }
            retrier.pauseWrite(gate, attempt, failure, (a, error, delay) -> retries.retried(change, a, error, delay));
        }
    }

    /** The effect cannot be looked for now (no look can succeed before the run ends): left open, not sent again. */
    private static DomainCalls.OutcomeUnknown cannotLook(ApiException e, String what) {
        return new DomainCalls.OutcomeUnknown(e, "the effect of " + what + " could not be looked for ("
                + e.getMessage() + "). It was not sent again. The next run looks before doing anything else.");
    }

    private static <T> T lookOnce(Look<T> look) throws InterruptedException {
        try {
            return look.look();
        } catch (RemoteReadException | ApiException e) {
            return null; // a failed look proves nothing; the call is sent again only on an error answer
        }
    }

    /**
     * Looks, with growing pauses, until {@code look} finds the effect or the settle window (from {@code sent}) has
     * passed: the result, or null. A failed look proves nothing and is looked past.
     */
    <T> T settle(ResourceChange change, Look<T> look, Instant sent, String what)
            throws InterruptedException, DomainCalls.OutcomeUnknown {
        Duration waited = Duration.ZERO;
        Duration pause = FIRST_LOOK;
        while (true) {
            try {
                T found = look.look();
                if (found != null) {
                    return found;
                }
            } catch (RemoteReadException e) {
                if (e.apiError() != null && e.apiError().isUnreachable()) {
                    throw cannotLook(e.apiError(), what);
                }
                retries.retried(change, 0, e.apiError(), pause);
            } catch (ApiException e) {
                if (e.exhausted() != null || e.isUnreachable()) {
                    throw cannotLook(e, what);
                }
                retries.retried(change, 0, e, pause);
            }
            Duration elapsed = Duration.between(sent, clock.instant());
            Duration passed = elapsed.compareTo(waited) > 0 ? elapsed : waited;
            if (passed.compareTo(settleWindow) >= 0) {
                return null;
            }
            Duration left = settleWindow.minus(passed);
            Duration nap = pause.compareTo(left) < 0 ? pause : left;
            sleeper.sleep(nap);
            waited = waited.plus(nap);
            pause = pause.multipliedBy(2).compareTo(LONGEST_LOOK) > 0 ? LONGEST_LOOK : pause.multipliedBy(2);
        }
    }
}
