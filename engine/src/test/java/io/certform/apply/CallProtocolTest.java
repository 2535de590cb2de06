package io.certform.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import io.certform.testkit.StepClock;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.api.ApiException;
import io.certform.state.JournalRecord;
import io.certform.state.ResourceState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The one protocol of a write (moved here from the shared model's settling, its tests unchanged): a write is sent once: an answer that never came is settled by looking, with pauses that
 * double up to a cap, until the effect shows or the settle window, counted from the send, has passed; an error
 * answer from the server is looked past once, then sent again; a throttled call is sent again; a refusal is thrown.
 */
class CallProtocolTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final Duration WINDOW = Duration.ofSeconds(3);

    private final StepClock clock = new StepClock(T0);
    private final List<Duration> naps = new ArrayList<>();
    private final List<Duration> lookRetries = new ArrayList<>();
    private final RecordingRecorder intents = new RecordingRecorder();
    private final AtomicInteger sends = new AtomicInteger();
    private final AtomicInteger looks = new AtomicInteger();
    private final ResourceState planned = new ResourceState("wild[a.example.com]", "wild", "inst1", "grp1", "dom1",
            "a.example.com", null, "wild", "global", null, null, "aa", null, null, "01", null, null);

    private static final String NEXT = "The next run looks before doing anything else.";

    private CallProtocol settling(Duration window) {
        Retrier retrier = new Retrier(new Backoff(3, Duration.ofSeconds(1), Duration.ofSeconds(1)), d -> {
            naps.add(d);
            clock.advance(d);
        }, new Random(1), new ConcurrencyLimiter(4), null);
        return new CallProtocol(null, null, retrier, clock, d -> {
            naps.add(d);
            clock.advance(d);
        }, window, (change, attempt, error, delay) -> {
            if (attempt == 0) {
                lookRetries.add(delay);
            }
        });
    }

    private SendGate gate() {
        return SendGate.of(intents, clock, at -> JournalRecord.Intent.bind(planned, null, at));
    }

    /** A call that answers with each of {@code answers} in turn: an exception is thrown, anything else returned. */
    private Supplier<String> call(Object... answers) {
        return () -> {
            Object answer = answers[Math.min(sends.getAndIncrement(), answers.length - 1)];
            if (answer instanceof ApiException e) {
                throw e;
            }
            return (String) answer;
        };
    }

    /** A look that finds the effect on look number {@code showsOn} (1-based), never when 0. */
    private CallProtocol.Look<String> look(int showsOn) {
        return () -> looks.incrementAndGet() == showsOn ? "found" : null;
    }

    private static List<Duration> millis(long... values) {
        List<Duration> out = new ArrayList<>();
        for (long v : values) {
            out.add(Duration.ofMillis(v));
        }
        return out;
    }

    @Test
    void anAnswerThatNeverCame_isSettledByLooking_withPausesThatDouble_andNeverSentAgain() throws Exception {
        String result = settling(WINDOW).write(null, gate(), call(ApiException.transport("read timed out")), look(4),
                "the creation of certificate wild", NEXT).result();
        assertEquals("found", result);
        assertEquals(1, sends.get(), "sent once: a timeout is not a no");
        assertEquals(1, intents.intents.size());
        assertEquals(4, looks.get());
        assertEquals(millis(250, 500, 1000), naps, "the pauses between looks double");
    }

    @Test
    void anEffectThatNeverShows_isLookedForUntilTheWindowEndsExactly_thenLeftUnknown() {
        OutcomeUnknown e = assertThrows(OutcomeUnknown.class, () -> settling(WINDOW)
                .write(null, gate(), call(ApiException.transport("read timed out")), look(0),
                        "the creation of certificate wild", NEXT));
        assertEquals(1, sends.get(), "never sent again");
        assertEquals(millis(250, 500, 1000, 1250), naps, "the last pause is cut to what is left of the window");
        assertEquals(5, looks.get(), "one last look once the window has passed");
        assertTrue(e.getMessage().startsWith("no answer to the creation of certificate wild (read timed out)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("settle window (3s)"), e.getMessage());
    }

    @Test
    void theWindowCountsFromTheSend_notFromTheFirstLook() {
        Supplier<String> slow = () -> {
            sends.incrementAndGet();
            clock.advance(WINDOW); // the answer was waited for as long as the window
            throw ApiException.transport("read timed out");
        };
        assertThrows(OutcomeUnknown.class, () -> settling(WINDOW).write(null, gate(), slow, look(0),
                "the creation of certificate wild", NEXT));
        assertEquals(1, looks.get(), "looked once: the window had already passed");
        assertEquals(List.of(), naps);
    }

    @Test
    void theWindowCountsTheTimeWaited_whenTheClockShowsLess() throws Exception {
        CallProtocol settling = new CallProtocol(null, null, null, clock, naps::add, WINDOW,
                (change, attempt, error, delay) -> { });
        assertEquals(null, settling.settle(null, look(0), T0, "the creation of certificate wild", NEXT),
                "a clock that does not move must not keep the looks going for ever");
        assertEquals(millis(250, 500, 1000, 1250), naps);
    }

    @Test
    void thePausesBetweenLooks_areCappedAtTenSeconds() throws Exception {
        assertEquals(null, settling(Duration.ofSeconds(60)).settle(null, look(0), T0, "x", NEXT));
        assertEquals(millis(250, 500, 1000, 2000, 4000, 8000, 10000, 10000, 10000, 10000, 4250), naps);
    }

    @Test
    void aLookThatFails_isLookedPast_andTold() throws Exception {
        ApiException busy = new ApiException(503, "APIG.9999", "busy", "r");
        CallProtocol.Look<String> failingOnce = () -> {
            if (looks.incrementAndGet() == 1) {
                throw busy;
            }
            return "found";
        };
        assertEquals("found", settling(WINDOW).settle(null, failingOnce, T0, "x", NEXT));
        assertEquals(millis(250), lookRetries, "the failed look is reported with the pause before the next");
    }

    @Test
    void aLookThatCannotSucceed_endsTheSettling_atOnce() {
        CallProtocol.Look<String> unreachable = () -> {
            looks.incrementAndGet();
            throw ApiException.unreachable("connection refused");
        };
        OutcomeUnknown e = assertThrows(OutcomeUnknown.class,
                () -> settling(WINDOW).settle(null, unreachable, T0, "the creation of certificate wild", NEXT));
        assertEquals(1, looks.get());
        assertEquals(List.of(), naps);
        assertTrue(e.getMessage().startsWith("the effect of the creation of certificate wild could not be looked for"),
                e.getMessage());
    }

    @Test
    void aServerErrorAnswer_isLookedPastOnce_andWhenItLanded_isNotSentAgain() throws Exception {
        ApiException error = new ApiException(500, "APIG.9999", "internal error", "r");
        assertEquals("found", settling(WINDOW).write(null, gate(), call(error, "second"), look(1), "x", NEXT).result());
        assertEquals(1, sends.get());
        assertEquals(1, looks.get());
    }

    @Test
    void aServerErrorAnswer_whoseEffectDoesNotShow_isSentAgainAfterABackOff() throws Exception {
        ApiException error = new ApiException(500, "APIG.9999", "internal error", "r");
        assertEquals("second", settling(WINDOW).write(null, gate(), call(error, "second"), look(0), "x", NEXT).result());
        assertEquals(2, sends.get());
        assertEquals(1, looks.get(), "looked once, before sending again");
        assertEquals(2, intents.intents.size(), "each attempt journalled as it left");
        assertEquals(1, naps.size(), "one back-off");
    }

    @Test
    void aThrottledCall_isSentAgain_withoutALook() throws Exception {
        ApiException throttled = new ApiException(429, "APIG.1009", "too many requests", "r", Duration.ofMillis(700));
        assertEquals("second", settling(WINDOW).write(null, gate(), call(throttled, "second"), look(1), "x", NEXT).result());
        assertEquals(2, sends.get());
        assertEquals(0, looks.get(), "a throttled call was refused, not carried out");
        assertEquals(millis(700), naps, "its Retry-After is waited");
    }

    @Test
    void aRefusal_isThrownAtOnce_withoutALook() {
        ApiException refused = new ApiException(400, "APIG.2011", "invalid certificate", "r");
        assertSame(refused, assertThrows(ApiException.class,
                () -> settling(WINDOW).write(null, gate(), call(refused), look(1), "x", NEXT)));
        assertEquals(1, sends.get());
        assertEquals(0, looks.get());
    }

    @Test
    void aServerErrorOnEveryAttempt_isThrownAfterTheLastAttempt() {
        ApiException error = new ApiException(500, "APIG.9999", "internal error", "r");
        assertSame(error, assertThrows(ApiException.class,
                () -> settling(WINDOW).write(null, gate(), call(error), look(0), "x", NEXT)));
        assertEquals(3, sends.get(), "the back-off's three attempts");
        assertEquals(3, looks.get());
        assertEquals(2, naps.size());
    }
}
