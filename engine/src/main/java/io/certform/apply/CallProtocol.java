package io.certform.apply;

import io.certform.api.ApiException;
import io.certform.api.GatewayClient;
import io.certform.base.CrashPoint;
import io.certform.base.Sleeper;
import io.certform.plan.ResourceChange;
import io.certform.remote.RemoteDirectory;
import io.certform.remote.RemoteReadException;
import io.certform.state.JournalRecord;
import io.certform.state.ResourceState;
import io.certform.state.RunRecorder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs any {@link Call}, the one way: its intent is made durable just before each attempt leaves ({@link SendGate},
 * after every wait), it is sent once, and only an answer that proves it was not carried out lets it be sent again
 * (throttled: after its pause; a server-side error answer: after one look for its effect, and a back-off). An answer
 * that never came is an unknown outcome, not a failure: it is settled by looking ({@link #settle}, the one settle
 * loop, which recovery uses too), never by sending again, and an effect that never showed leaves the intent open for
 * the next run. The result is recorded as done; a refusal, or a stop after an earlier attempt was refused, is
 * recorded as voided. This is the one place a run writes its journal: the records made without a call (a move, an
 * adoption, a forgotten binding, a deposed object, a binding seen serving its certificate) go through
 * {@link #record} and {@link #forgotten}.
 *
 * <p>Every call reaches the same named crash points: {@code after-intent} (the recorder), {@code before-send} (the
 * intent durable, the call about to leave), {@code after-send} (the call took effect, its result not recorded yet).
 */
final class CallProtocol {

    /** Hears retries (and failed looks, as attempt 0), for the listener and the statistics. */
    @FunctionalInterface
    interface Retries {
        void retried(ResourceChange change, int attempt, ApiException error, Duration delay);
    }

    /** Looks for a call's effect: the result when it shows, null when it does not (yet). */
    @FunctionalInterface
    interface Look<T> {
        T look() throws InterruptedException, RemoteReadException;
    }

    /**
     * How a call went: its result, and, when that result was found by looking rather than answered, the failure
     * that made certform look ({@code lost}: no answer came; {@code answered}: an error answer from the server);
     * and what was recorded.
     */
    record Sent<T>(T result, ApiException lost, ApiException answered, List<JournalRecord.Done> recorded) {
        Sent(T result, ApiException lost, ApiException answered) {
            this(result, lost, answered, List.of());
        }

        /** The object recorded first (a certificate resource as recorded, with its id). */
        ResourceState first() {
            return recorded.get(0).resource();
        }
    }

    /** The first pause between two looks for an effect; each next one doubles, up to {@link #LONGEST_LOOK}. */
    static final Duration FIRST_LOOK = Duration.ofMillis(250);
    static final Duration LONGEST_LOOK = Duration.ofSeconds(10);

    private final GatewayClient client;
    private final RemoteDirectory remote;
    private final Retrier retrier;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration settleWindow;
    private final Retries retries;
    private final Consumer<String> points;

    CallProtocol(GatewayClient client, RemoteDirectory remote, Retrier retrier, Clock clock, Sleeper sleeper,
                 Duration settleWindow, Retries retries) {
        this(client, remote, retrier, clock, sleeper, settleWindow, retries, CrashPoint::reach);
    }

    /** @param points reaches a named crash point ({@link CrashPoint#reach} but in tests) */
    CallProtocol(GatewayClient client, RemoteDirectory remote, Retrier retrier, Clock clock, Sleeper sleeper,
                 Duration settleWindow, Retries retries, Consumer<String> points) {
        this.client = client;
        this.remote = remote;
        this.retrier = retrier;
        this.clock = clock;
        this.sleeper = sleeper;
        this.settleWindow = settleWindow;
        this.retries = retries;
        this.points = points;
    }

    Clock clock() {
        return clock;
    }

    /**
     * Runs {@code call} for {@code change} and records its result.
     *
     * @param finishing the call finishes a sequence already begun (the bind that follows the removal of a domain's
     *                  certificate): it is sent even after the run was stopped ({@link SendGate#finishing})
     * @throws ApiException    the service refused it (it did not take effect; voided unless the call leaves such a
     *                         refusal to its caller, {@link Call#retriedWithout})
     * @throws OutcomeUnknown  no answer came and the effect did not show: its intents stay open (a batch's part that
     *                         shows is recorded, {@link OutcomeUnknown#settled})
     * @throws NotSent         the run was stopped before an attempt left
     */
    <T> Sent<T> run(ResourceChange change, Call<T> call, RunRecorder recorder, boolean finishing)
            throws InterruptedException, OutcomeUnknown {
        SendGate gate = new SendGate(recorder, clock, call::intents, finishing, points);
        Sent<T> sent;
        try {
            sent = call.idempotent() ? resend(change, gate, call) : write(change, gate, () -> call.send(client),
                    () -> call.look(remote, true), call.what(), call.nextRun());
        } catch (NotSent stopped) {
            if (gate.journalled()) {
                notCarriedOut(call, recorder); // an earlier attempt was answered with an error: it did not happen
            }
            throw stopped;
        } catch (ApiException refused) {
            if (!call.retriedWithout(refused)) {
                notCarriedOut(call, recorder); // refused, or checked not to have landed
            }
            throw refused;
        } catch (OutcomeUnknown unknown) {
            if (call instanceof BatchCall batch) {
                throw partly(batch, unknown, recorder);
            }
            throw unknown;
        }
        points.accept("after-send");
        List<JournalRecord.Done> done = call.recorded(sent.result(), clock.instant());
        record(recorder, done);
        return new Sent<>(sent.result(), sent.lost(), sent.answered(), done);
    }

    /**
     * Records results made without a call: a move, an adoption, a deposed object put aside or back, a binding seen
     * serving its certificate.
     */
    void record(RunRecorder recorder, List<JournalRecord.Done> results) {
        for (JournalRecord.Done done : results) {
            recorder.done(done);
        }
    }

    void record(RunRecorder recorder, JournalRecord.Done... results) {
        record(recorder, List.of(results));
    }

    /** Records that a binding is forgotten without a call (its domain or certificate is already gone). */
    void forgotten(RunRecorder recorder, ResourceState before) {
        recorder.intend(JournalRecord.Intent.unbind(before, clock.instant()));
        recorder.done(JournalRecord.Done.unbound(before));
    }

    /** Closes the intents of {@code call}: it is known not to have happened. */
    void notCarriedOut(Call<?> call, RunRecorder recorder) {
        for (JournalRecord.Intent intent : call.intents(clock.instant())) {
            recorder.voided(JournalRecord.Voided.of(intent));
        }
    }

    /** A batch whose outcome is unknown: the part whose effect shows is recorded, the rest stays open. */
    private OutcomeUnknown partly(BatchCall batch, OutcomeUnknown unknown, RunRecorder recorder)
            throws InterruptedException {
        List<ResourceState> shown;
        try {
            shown = batch.showing(remote, true);
        } catch (ApiException | RemoteReadException e) {
            return unknown;
        }
        if (shown.isEmpty()) {
            return unknown;
        }
        record(recorder, batch.part(shown).recorded(Boolean.TRUE, clock.instant()));
        return new OutcomeUnknown(unknown.failure, unknown.getMessage(),
                shown.stream().map(ResourceState::address).toList());
    }

    /** An idempotent call ({@link Call#idempotent}): sent again while its failure is retryable. */
    private <T> Sent<T> resend(ResourceChange change, SendGate gate, Call<T> call)
            throws InterruptedException, OutcomeUnknown {
        try {
            return new Sent<>(retrier.idempotent(gate, () -> call.send(client), listener(change)), null, null);
        } catch (ApiException e) {
            if (e.isOutcomeUnknown() || e.isRetryable()) {
                throw new OutcomeUnknown(e, call.what() + " got no usable answer (" + e.getMessage() + "); it may"
                        + " still take effect. " + call.nextRun());
            }
            throw e;
        }
    }

    /**
     * Sends a write: once per attempt, each attempt's intent journalled by {@code gate} once its waits are over. The
     * settle window counts from then.
     *
     * @param what    names the call for messages ("the creation of certificate wild")
     * @param nextRun what the next run does with a call left open, for messages
     * @throws ApiException   the service refused it (it did not take effect)
     * @throws OutcomeUnknown no answer came and the effect did not show within the settle window
     * @throws NotSent        the run was stopped before an attempt left
     */
    <T> Sent<T> write(ResourceChange change, SendGate gate, Supplier<T> call, Look<T> look, String what,
                      String nextRun) throws InterruptedException, OutcomeUnknown {
        for (int attempt = 1; ; attempt++) {
            ApiException failure;
            try {
                return new Sent<>(retrier.once(gate, call), null, null);
            } catch (ApiException e) {
                failure = e;
            }
            if (failure.isOutcomeUnknown()) {
                T found = settle(change, look, gate.sent(), what, nextRun);
                if (found == null) {
                    throw new OutcomeUnknown(failure, "no answer to " + what + " (" + failure.getMessage()
                            + "), and its effect did not show within the settle window (" + settleWindow.toSeconds()
                            + "s). It was not sent again. " + nextRun);
                }
                return new Sent<>(found, failure, null);
            }
            if (!failure.isRetryable()) {
                throw failure;
            }
            if (!failure.isThrottled()) {
                // a server-side failure answered with an error: not carried out, but look once before sending again
                T found = lookOnce(look);
                if (found != null) {
                    return new Sent<>(found, null, failure);
                }
            }
            if (attempt >= retrier.backoff().maxAttempts()) {
                throw failure;
            }
            retrier.pauseWrite(gate, attempt, failure, listener(change));
        }
    }

    private Retrier.Listener listener(ResourceChange change) {
        return (attempt, error, delay) -> retries.retried(change, attempt, error, delay);
    }

    private static <T> T lookOnce(Look<T> look) throws InterruptedException {
        try {
            return look.look();
        } catch (RemoteReadException | ApiException e) {
            return null; // a failed look proves nothing; the call is sent again only on an error answer
        }
    }

    /** Looks for a call's effect within this run's settle window ({@link #settle(Clock, Sleeper, Duration, ...)}). */
    <T> T settle(ResourceChange change, Look<T> look, Instant sent, String what, String nextRun)
            throws InterruptedException, OutcomeUnknown {
        return settle(clock, sleeper, settleWindow, look, sent, (pause, e) -> retries.retried(change, 0, e, pause),
                what, nextRun);
    }

    /** Hears a look that failed (and is looked past), with the pause before the next. */
    @FunctionalInterface
    interface LookFailed {
        void failed(Duration pause, ApiException error);
    }

    /**
     * The one settle loop: looks, with pauses that double from {@link #FIRST_LOOK} up to {@link #LONGEST_LOOK},
     * until {@code look} finds the effect or the settle window has passed since {@code sent} (by the clock, or by
     * the time waited when the clock shows less): the result, or null after one last look. A failed look proves
     * nothing and is looked past; one that cannot succeed before the run ends (the endpoint cannot be reached,
     * something ran out) ends the loop at once.
     *
     * @throws OutcomeUnknown the effect could not be looked for
     */
    static <T> T settle(Clock clock, Sleeper sleeper, Duration settleWindow, Look<T> look, Instant sent,
                        LookFailed heard, String what, String nextRun)
            throws InterruptedException, OutcomeUnknown {
        Duration waited = Duration.ZERO;
        Duration pause = FIRST_LOOK;
        while (true) {
            try {
                T found = look.look();
                if (found != null) {
                    return found;
                }
            } catch (RemoteReadException e) {
                lookFailed(e.apiError(), pause, heard, what, nextRun);
            } catch (ApiException e) {
                lookFailed(e, pause, heard, what, nextRun);
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

    private static void lookFailed(ApiException e, Duration pause, LookFailed heard, String what, String nextRun)
            throws OutcomeUnknown {
        if (e != null && (e.exhausted() != null || e.isUnreachable())) {
            // no look can succeed before the run ends: left open, not sent again
            throw new OutcomeUnknown(e, "the effect of " + what + " could not be looked for (" + e.getMessage()
                    + "). It was not sent again. " + nextRun);
        }
        heard.failed(pause, e);
    }
}
