package io.certform.apply;

import io.certform.state.JournalRecord;
import io.certform.state.RunRecorder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * The journal side of one write: its intents are made durable just before each attempt leaves, after every wait
 * (the rate slot, the concurrency limit, a back-off), so an intent's {@code at} is when its call was sent, give or
 * take the journal's sync. Recovery counts the settle window from it, and so can never void a call younger than
 * the window. Writing the intent is also the last check that the run may send: a PostgreSQL run that lost its lease
 * is refused there ({@link io.certform.state.JournalFailure}), before the call.
 */
final class SendGate {
    private final RunRecorder recorder;
    private final Clock clock;
    private final Function<Instant, List<JournalRecord.Intent>> intents;
    private final boolean finishing;
    private final java.util.function.Consumer<String> points;
    private Instant journalled;
    private Instant sent;

    /**
     * @param intents   the intents of one attempt, written at the given instant
     * @param finishing the write finishes a sequence already begun (the bind that follows the removal of a domain's
     *                  certificate): a stop does not keep it from leaving, since the stop means "start nothing new",
     *                  not "leave a domain bare". Its waits run to their end; the journal (a lost lease) can still
     *                  refuse it.
     * @param points    reaches the crash point {@code before-send} once the intents are durable
     */
    SendGate(RunRecorder recorder, Clock clock, Function<Instant, List<JournalRecord.Intent>> intents,
             boolean finishing, java.util.function.Consumer<String> points) {
        this.recorder = recorder;
        this.clock = clock;
        this.intents = intents;
        this.finishing = finishing;
        this.points = points;
    }

    /** One intent per attempt. */
    static SendGate of(RunRecorder recorder, Clock clock, Function<Instant, JournalRecord.Intent> intent) {
        return new SendGate(recorder, clock, at -> List.of(intent.apply(at)), false,
                io.certform.base.CrashPoint::reach);
    }

    /** This write finishes a sequence already begun: it is sent even after the run was stopped. */
    boolean finishing() {
        return finishing;
    }

    /**
     * Journals this attempt's intents (durable when it returns): the call leaves right after. When writing them
     * took longer than {@link #STALE} (the process was frozen, or the journal stalled), they are written again
     * with the time it is now, which on PostgreSQL checks the lease again: a run frozen past its lease does not send.
     */
    void open() {
        for (int written = 1; ; written++) {
            Instant at = clock.instant();
            recorder.intendAll(intents.apply(at));
            journalled = at;
            sent = clock.instant();
            if (!sent.isAfter(at.plus(STALE)) || written >= 3) {
                points.accept("before-send");
                return;
            }
        }
    }

    /** How long writing an intent may take before the intent is written again, with a fresh time. */
    static final Duration STALE = Duration.ofSeconds(5);

    /** Some attempt's intent is in the journal (it must be closed: done, voided, or left open if unknown). */
    boolean journalled() {
        return journalled != null;
    }

    /** When the last attempt left (after its intent was durable); the in-run settle window counts from it. */
    Instant sent() {
        return sent;
    }
}
