package io.certform.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.api.ApiException;
import io.certform.base.Exhaustion;
import io.certform.base.Sleeper;
import io.certform.plan.Action;
import io.certform.plan.Reason;
import io.certform.plan.ResourceChange;
import io.certform.state.JournalFailure;
import io.certform.state.JournalRecord;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.state.StateException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The one executor of both models: its limiter, its stop flag, and its one failure path. */
class StepPoolTest {

    private static final State EMPTY = State.empty("test");

    @Test
    void throttlingInAStep_reachesThePoolsLimiter() throws Exception {
        StepPool pool = new StepPool(8, null, Clock.systemUTC());
        Retrier retrier = pool.retrier(new Backoff(1, Duration.ofMillis(1), Duration.ofMillis(1)), Sleeper.SYSTEM,
                new Random(1));
        Events events = new Events();
        Steps steps = pool.run(events, new RecordingRecorder());
        List<ResourceChange> changes = new ArrayList<>(List.of(create("a"), create("b"), create("c")));
        steps.parallel(changes, c -> steps.step(c, () -> {
            try {
                retrier.once(() -> {
                    throw new ApiException(429, "APIGW.0308", "slow down", null);
                });
            } catch (ApiException e) {
                steps.refused(c, e);
            }
        }));
        ApplyResult result = steps.result(EMPTY);
        assertEquals(3, result.stats().throttles(), "every 429 is counted by the pool's limiter");
        assertEquals(4, result.stats().lowestParallelism(), "halved once: no success came between the 429s");
        assertEquals(3, result.failures().size());
        assertEquals(List.of(), result.skipped(), "a throttled call stops nothing");
    }

    @Test
    void aStop_startsNoNewStep_andLetsTheRunningOnesFinish() throws Exception {
        StepPool pool = new StepPool(2, null, Clock.systemUTC());
        Events events = new Events();
        Steps steps = pool.run(events, new RecordingRecorder());
        List<List<ResourceChange>> sequences = new ArrayList<>(List.of(
                List.of(create("a")), List.of(create("b")), List.of(create("c"), create("d"))));
        CountDownLatch aStarted = new CountDownLatch(1);
        steps.parallel(sequences, sequence -> {
            for (ResourceChange c : sequence) {
                steps.step(c, () -> {
                    steps.started(c);
                    if (c.address().equals("a")) {
                        aStarted.countDown();
                    }
                    if (c.address().equals("b")) {
                        assertTrue(aStarted.await(10, TimeUnit.SECONDS));
                        pool.requestStop(); // a's step is running meanwhile
                    } else {
                        awaitStop(pool); // a: still running when the stop comes
                    }
                    steps.completed(c, "ssl-" + c.address(), Duration.ZERO, null);
                });
            }
        });
        ApplyResult result = steps.result(EMPTY);
        assertEquals(List.of("completed a", "completed b", "skipped c: interrupted", "skipped d: interrupted",
                "started a", "started b"), events.sorted());
        assertEquals(2, result.added());
        assertEquals(List.of("c", "d"), result.skipped());
        assertTrue(result.interrupted());
    }

    @Test
    void aStepThatFails_isRecordedOnce_andAnotherStepsResultIsKept() throws Exception {
        StepPool pool = new StepPool(2, null, Clock.systemUTC());
        Events events = new Events();
        RecordingRecorder recorder = new RecordingRecorder();
        Steps steps = pool.run(events, recorder);
        CountDownLatch bRunning = new CountDownLatch(1);
        List<ResourceChange> changes = new ArrayList<>(List.of(create("b"), create("a"), create("c")));
        steps.parallel(changes, c -> steps.step(c, () -> {
            steps.started(c);
            if (c.address().equals("a")) {
                assertTrue(bRunning.await(10, TimeUnit.SECONDS));
                recorder.intend(JournalRecord.Intent.unbind(recorded("a"), Instant.now())); // sent, maybe
                throw new OutOfMemoryError("Java heap space");
            }
            bRunning.countDown();
            awaitStop(pool);
            steps.completed(c, "ssl-" + c.address(), Duration.ZERO, null);
        }));
        ApplyResult result = steps.result(EMPTY);
        assertEquals(1, result.failures().size());
        assertEquals("a", result.failures().get(0).address());
        assertEquals("stopped during the call", result.failures().get(0).unknown(),
                "its intent is open: an unknown outcome, once");
        assertEquals(1, result.added(), "b, running when a failed, finished and is counted");
        assertEquals(List.of("c"), result.skipped(), "c started after the failure: not attempted");
        assertEquals(Exhaustion.MEMORY, result.exhausted());
        assertEquals(List.of("completed b", "skipped c: " + Exhaustion.MEMORY.cause(), "started a", "started b"),
                events.sorted());
    }

    @Test
    void aReplacementCutShortWhileRemovingItsOldHalf_isAnUnknownOutcome_notNotAttempted() throws Exception {
        StepPool pool = new StepPool(1, null, Clock.systemUTC());
        RecordingRecorder recorder = new RecordingRecorder();
        Steps steps = pool.run(new Events(), recorder);
        ResourceState old = recorded("a");
        ResourceChange replace = new ResourceChange("a", Action.CREATE_THEN_DELETE, Set.of(Reason.DOMAIN_MOVED), old,
                null);
        steps.inOrder(new ArrayList<>(List.of(replace)), c -> steps.step(c, () -> {
            // the new half is bound; the removal of the old half, deposed at the same address, may have been sent
            recorder.intend(JournalRecord.Intent.unbind(old.deposedRecord(), Instant.now()));
            throw new OutOfMemoryError("Java heap space");
        }));
        ApplyResult result = steps.result(EMPTY);
        assertEquals(List.of(), result.skipped(), "a call of it may have been sent: it was attempted");
        assertEquals(List.of("a"), result.failures().stream().map(ApplyResult.Failure::address).toList());
        assertEquals("stopped during the call", result.failures().get(0).unknown());
    }

    @Test
    void aBugInAStep_stopsTheRun_andIsThrownOnceEveryStepEnded() {
        StepPool pool = new StepPool(1, null, Clock.systemUTC());
        Events events = new Events();
        Steps steps = pool.run(events, new RecordingRecorder());
        List<ResourceChange> changes = new ArrayList<>(List.of(create("a"), create("b")));
        steps.inOrder(changes, c -> steps.step(c, () -> {
            throw new IllegalArgumentException("a bug");
        }));
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> steps.result(EMPTY));
        assertEquals("a bug", thrown.getCause().getMessage());
        List<String> heard = events.sorted();
        assertEquals(1, heard.size(), heard.toString());
        assertTrue(heard.get(0).startsWith("skipped b: "), "b, after the bug, is not attempted: " + heard);
    }

    @Test
    void aJournalThatCannotBeWritten_stopsTheRun_theLaterUnitsStillSayWhatWasNotAttempted() {
        StepPool pool = new StepPool(4, null, Clock.systemUTC());
        Events events = new Events();
        Steps steps = pool.run(events, new RecordingRecorder());
        List<List<ResourceChange>> batches = new ArrayList<>(List.of(List.of(create("a"), create("b")),
                List.of(create("c")), List.of(create("d"))));
        steps.inOrder(batches, batch -> steps.guard(batch, () -> {
            if (steps.stopped()) {
                batch.forEach(c -> steps.skipped(c, steps.stopReason()));
                return;
            }
            throw new JournalFailure(new StateException("journal.jsonl: no space left"));
        }));
        StateException thrown = assertThrows(StateException.class, () -> steps.result(EMPTY));
        assertEquals("journal.jsonl: no space left", thrown.getMessage());
        assertEquals(List.of("skipped c: the journal could not be written",
                "skipped d: the journal could not be written"), events.sorted(),
                "the batch cut short is kept for the result, not told to the listener; the later ones say theirs");
    }

    private static void awaitStop(StepPool pool) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!pool.stopped() && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertTrue(pool.stopped(), "the run was not stopped");
    }

    private static ResourceState recorded(String address) {
        return new ResourceState(address, "shop", "i", "g", address, null, "s-" + address, "n", "global", null, "RSA",
                "aa", null, null, "01", "2031-01-01T00:00:00Z", "CA");
    }

    private static ResourceChange create(String address) {
        return new ResourceChange(address, Action.CREATE, Set.of(Reason.NOT_IN_STATE), null, null);
    }

    /** The listener's events, as text. */
    private static final class Events implements ApplyListener {
        private final List<String> events = Collections.synchronizedList(new ArrayList<>());

        List<String> sorted() {
            List<String> out = new ArrayList<>(events);
            Collections.sort(out);
            return out;
        }

        @Override
        public void started(ResourceChange change) {
            events.add("started " + change.address());
        }

        @Override
        public void completed(ResourceChange change, String sslId, Duration took, String note) {
            events.add("completed " + change.address());
        }

        @Override
        public void failed(ResourceChange change, ApiException error) {
            events.add("failed " + change.address());
        }

        @Override
        public void unknown(ResourceChange change, String why) {
            events.add("unknown " + change.address());
        }

        @Override
        public void skipped(ResourceChange change, String why) {
            events.add("skipped " + change.address() + ": " + why);
        }
    }
}
