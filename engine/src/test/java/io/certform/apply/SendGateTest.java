package io.certform.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import io.certform.testkit.StepClock;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.api.ApiException;
import io.certform.base.Sleeper;
import io.certform.state.JournalRecord;
import io.certform.state.ResourceState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A write's intent is journalled after its waits (rate slot, concurrency limit, back-off), just before the call
 * leaves, so its time is the send's; a run stopped while a write waits sends nothing and journals nothing.
 */
class SendGateTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    private final StepClock clock = new StepClock(T0);
    private final RecordingRecorder journal = new RecordingRecorder();
    private final StopFlag stop = new StopFlag();
    private final ResourceState planned = new ResourceState("site[a.example.com]", "site", "inst1", "grp1", "dom1",
            "a.example.com", null, "cert", "global", null, null, "aa", null, null, "01", null, null);

    private Retrier retrier(Sleeper sleeper, double rate) {
        return new Retrier(new Backoff(3, Duration.ofSeconds(1), Duration.ofSeconds(1)), sleeper, new Random(1),
                new ConcurrencyLimiter(4), new RatePacer(rate, clock), stop);
    }

    private SendGate gate() {
        return SendGate.of(journal, clock, at -> JournalRecord.Intent.bind(planned, null, at));
    }

    @Test
    void theIntent_isJournalledAfterTheRateWait_withTheTimeItsCallLeaves() throws Exception {
        Retrier retrier = retrier(clock::advance, 0.5); // one call every 2 s
        retrier.once(gate(), () -> "first");
        SendGate second = gate();
        String sent = retrier.once(second, () -> {
            assertEquals(2, journal.intents.size(), "the intent is durable before the call leaves");
            return "second";
        });
        assertEquals("second", sent);
        assertEquals(T0.plusSeconds(2), journal.intents.get(1).at(), "written after its 2 s wait for the rate");
        assertEquals(T0.plusSeconds(2), second.sent());
    }

    @Test
    void aStop_whileAWriteWaitsForItsRateSlot_sendsNothingAndJournalsNothing() throws Exception {
        Retrier retrier = retrier(d -> {
            stop.set(true); // Ctrl-C arrives while the write waits
            clock.advance(d);
        }, 0.5);
        retrier.once(gate(), () -> "first");
        AtomicInteger calls = new AtomicInteger();
        SendGate waiting = gate();
        assertThrows(NotSent.class, () -> retrier.once(waiting, calls::incrementAndGet));
        assertEquals(0, calls.get(), "not sent");
        assertEquals(1, journal.intents.size(), "no intent for a call that never left");
        assertFalse(waiting.journalled());
        assertEquals("read", retrier.once(() -> "read"), "reads still run (they settle the calls in flight)");
    }

    @Test
    void aStop_duringTheBackOffOfAnIdempotentWrite_endsWithTheLastAnswer_andEachAttemptHadItsOwnIntent()
            throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Retrier retrier = retrier(d -> {
            clock.advance(d);
            if (attempts.get() == 2) {
                stop.set(true);
            }
        }, 1000);
        ApiException timeout = ApiException.transport("read timed out");
        ApiException thrown = assertThrows(ApiException.class, () -> retrier.idempotent(gate(), () -> {
            attempts.incrementAndGet();
            throw timeout;
        }, (attempt, error, delay) -> { }));
        assertSame(timeout, thrown, "the last attempt's outcome stands (it may have landed): not 'not sent'");
        assertEquals(2, attempts.get(), "the third attempt was not sent");
        assertEquals(2, journal.intents.size(), "one intent per attempt sent");
        assertTrue(journal.intents.get(1).at().isAfter(journal.intents.get(0).at()), "each at its own send");
    }

    @Test
    void anIntentWhoseWritingTookLongerThanStale_isWrittenAgain_withTheTimeItsCallLeaves() throws Exception {
        Retrier retrier = retrier(clock::advance, 1000);
        AtomicInteger writes = new AtomicInteger();
        SendGate gate = SendGate.of(journal, clock, at -> {
            if (writes.incrementAndGet() == 1) {
                clock.advance(SendGate.STALE.plusSeconds(1)); // frozen while the first intent was being written
            }
            return JournalRecord.Intent.bind(planned, null, at);
        });
        retrier.once(gate, () -> "sent");
        assertEquals(2, journal.intents.size(), "written again after the pause");
        assertEquals(T0.plus(SendGate.STALE).plusSeconds(1), journal.intents.get(1).at());
        assertEquals(journal.intents.get(1).at(), gate.sent());
    }

}
