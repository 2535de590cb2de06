package io.certform.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import io.certform.testkit.StepClock;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.Sleeper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StateStore} must do, run against each implementation (as Terraform's statemgr conformance
 * tests are). Subclasses say how to make a store, and how to reach the same state through a second handle.
 */
public abstract class StateStoreContract {

    protected final StepClock clock = new StepClock(java.time.Instant.parse("2026-11-28T00:00:00Z"));
    final List<Duration> slept = Collections.synchronizedList(new ArrayList<>());
    protected final Sleeper sleeper = d -> {
        slept.add(d);
        clock.advance(d);
    };

    /** A store over a fresh, empty state; the same state each call within a test (a second handle). */
    protected abstract StateStore store(long compactAt);

    protected StateStore store() {
        return store(StateStore.COMPACT_AT);
    }

    /** Whether the store keeps every version (append-only) rather than only the last {@link StateStore#HISTORY}. */
    protected boolean keepsEveryVersion() {
        return false;
    }

    public static ResourceState resource(int i) {
        return new ResourceState("c[d" + i + ".example.com]", "c", "inst", "grp", "dom" + i, "d" + i + ".example.com",
                "ssl" + i, "cert_name", "global", null, "ECC", "sha" + i, "chain" + i, null, "5a" + i,
                "2031-08-16T06:36:13Z", "Test CA");
    }

    private static final Instant AT = Instant.parse("2026-11-28T09:00:00Z");

    private State written(StateStore store, ResourceState... resources) throws StateException {
        State next = store.read().next(List.of(resources), "1.0");
        store.write(next);
        return next;
    }

    @Test
    void readOfNothing_isAnEmptyStateAtSerial0_withoutHistoryOrJournal() throws Exception {
        StateStore store = store();
        State state = store.read();
        assertEquals(0, state.serial());
        assertTrue(state.resources().isEmpty());
        assertTrue(store.history().isEmpty());
        assertTrue(store.journal().isEmpty());
        assertEquals(Optional.empty(), store.version(1));
    }

    @Test
    void writeThenRead_roundTrips() throws Exception {
        StateStore store = store();
        State first = written(store, resource(2), resource(1));
        assertEquals(1, first.serial());
        assertEquals(first, store.read());
        assertEquals(first, store().read(), "a second handle sees it");
    }

    @Test
    void aWriteNotFollowingTheStoredSerial_isRefused_andWritesNothing() throws Exception {
        StateStore store = store();
        State empty = store.read();
        State first = empty.next(List.of(resource(1)), "1.0");
        store.write(first);
        StateConflictException again = assertThrows(StateConflictException.class,
                () -> store.write(empty.next(List.of(resource(2)), "1.0")));
        assertTrue(again.getMessage().contains("is at serial 1, but this write follows serial 0"), again.getMessage());
        assertThrows(StateConflictException.class, () -> store.write(first.next(List.of(), "1.0").next(List.of(), "1.0")));
        assertEquals(first, store.read());
        StateConflictException fresh = assertThrows(StateConflictException.class,
                () -> store().write(State.empty("1.0").next(List.of(), "1.0").next(List.of(), "1.0")));
        assertTrue(fresh.getMessage().contains("lineage"), fresh.getMessage());
    }

    @Test
    void twoHandlesThatReadTheSameSerial_theSecondWriteIsRefused() throws Exception {
        written(store(), resource(1));
        StateStore a = store();
        StateStore b = store();
        State readByA = a.read();
        State readByB = b.read();
        State fromA = readByA.next(List.of(resource(2)), "1.0");
        a.write(fromA);
        StateConflictException stale = assertThrows(StateConflictException.class,
                () -> b.write(readByB.next(List.of(resource(3)), "1.0")));
        assertTrue(stale.getMessage().contains("another run wrote the state meanwhile"), stale.getMessage());
        assertEquals(fromA, store().read(), "the first write stands, nothing merged");
    }

    @Test
    void theFirstWrite_mustBeSerial1() throws Exception {
        StateStore store = store();
        State two = store.read().next(List.of(), "1.0").next(List.of(), "1.0");
        assertThrows(StateConflictException.class, () -> store.write(two));
        assertEquals(0, store.read().serial());
    }

    @Test
    void aWriteOfAnotherLineage_isRefused() throws Exception {
        StateStore store = store();
        written(store, resource(1));
        State other = State.empty("1.0").next(List.of(), "1.0").next(List.of(), "1.0");
        StateConflictException e = assertThrows(StateConflictException.class, () -> store.write(other));
        assertTrue(e.getMessage().contains("another state (lineage"), e.getMessage());
        assertEquals(1, store.read().serial());
    }

    @Test
    void history_keepsTheCurrentAndTenPrevious_newestFirst_andVersionReadsThem() throws Exception {
        StateStore store = store();
        List<State> states = new ArrayList<>();
        for (int i = 1; i <= 13; i++) {
            List<ResourceState> resources = new ArrayList<>();
            for (int r = 0; r < i; r++) {
                resources.add(resource(r));
            }
            states.add(written(store, resources.toArray(ResourceState[]::new)));
        }
        List<StateVersion> history = store.history();
        assertEquals(List.of(13L, 12L, 11L, 10L, 9L, 8L, 7L, 6L, 5L, 4L, 3L),
                history.stream().map(StateVersion::serial).toList());
        assertEquals(13, history.get(0).resources());
        assertEquals(states.get(0).lineage(), history.get(5).lineage());
        assertEquals("1.0", history.get(5).certformVersion());
        assertEquals(Optional.of(states.get(2)), store.version(3));
        assertEquals(Optional.of(states.get(12)), store.version(13));
        assertEquals(history.get(0).writtenAt(), store.writtenAt(), "when the current state was written");
        if (keepsEveryVersion()) {
            assertEquals(Optional.of(states.get(1)), store.version(2), "every version is kept");
        } else {
            assertEquals(Optional.empty(), store.version(2), "older than ten writes ago");
        }
    }

    @Test
    void recorder_foldsResultsOnce_andKeepsOnlyOpenIntents_withTheirTime() throws Exception {
        StateStore store = store();
        State base = written(store, resource(0), resource(5));
        JournalRecord.Intent stillOpen = JournalRecord.Intent.bind(resource(3), null, AT);
        State finished;
        try (RunRecorder run = store.record(base)) {
            run.intend(JournalRecord.Intent.bind(resource(1), null, AT));
            run.done(JournalRecord.Done.bound(resource(1)));
            run.intend(JournalRecord.Intent.unbind(resource(0), AT));
            run.done(JournalRecord.Done.unbound(resource(0).address()));
            run.intend(JournalRecord.Intent.bind(resource(2), null, AT));
            run.voided(resource(2).address());
            run.intend(stillOpen);
            assertEquals(1, run.openIntents());
            assertEquals(base, store.read(), "nothing is folded before finish");
            finished = run.finish();
            assertEquals(List.of(stillOpen), run.open());
            assertEquals(7, run.stats().records());
            assertEquals(1, run.stats().compactions());
        }
        assertEquals(base.serial() + 1, finished.serial());
        assertEquals(finished, store.read());
        assertEquals(List.of(resource(1).address(), resource(5).address()),
                finished.resources().stream().map(ResourceState::address).toList());
        assertEquals(List.of(stillOpen), store.journal(), "only the open intent is left, with its original time");
        try (RunRecorder next = store.record(finished)) {
            assertEquals(List.of(stillOpen), next.open(), "a settled run's open intent is carried, still open");
            next.intend(JournalRecord.Intent.bind(resource(4), null, AT));
            next.done(JournalRecord.Done.bound(resource(4)));
            next.finish();
        }
        assertEquals(List.of(stillOpen), store.journal(), "until a result closes it");
    }

    @Test
    void recorder_thatFinishesWithNothingOpen_leavesNoJournal() throws Exception {
        StateStore store = store();
        State base = store.read();
        try (RunRecorder run = store.record(base)) {
            run.intend(JournalRecord.Intent.bind(resource(1), null, AT));
            run.done(JournalRecord.Done.bound(resource(1)));
            assertEquals(1, run.finish().serial());
        }
        assertTrue(store.journal().isEmpty());
        try (RunRecorder next = store.record(store.read())) {
            assertEquals(0, next.openIntents(), "the next run records at once");
        }
    }

    @Test
    void anInterruptedRecording_leavesEveryRecordInTheJournal_inOrder_andReplayAppliesTheResults() throws Exception {
        StateStore store = store();
        State base = written(store, resource(0));
        List<JournalRecord> expected = List.of(JournalRecord.Intent.bind(resource(1), "old1", AT),
                JournalRecord.Done.bound(resource(1)), JournalRecord.Intent.unbind(resource(0), AT),
                JournalRecord.Done.unbound(resource(0).address()), JournalRecord.Intent.bind(resource(2), null, AT),
                new JournalRecord.Voided(resource(2).address()), JournalRecord.Intent.bind(resource(3), null, AT));
        try (RunRecorder run = store.record(base)) {
            for (JournalRecord r : expected) {
                if (r instanceof JournalRecord.Intent i) {
                    run.intend(i);
                } else if (r instanceof JournalRecord.Done d) {
                    run.done(d);
                } else {
                    run.voided(r.address());
                }
            }
        } // closed without finish: as if the process died
        assertEquals(expected, store.journal());
        assertEquals(base, store.read(), "the committed state is untouched");
        State replayed = JournalRecord.replay(store.read(), store.journal());
        assertEquals(List.of(resource(1)), replayed.resources());
        assertEquals(List.of(expected.get(6)), JournalRecord.openIntents(store.journal()));
        StateException busy = assertThrows(StateException.class, () -> store.record(store.read()));
        assertTrue(busy.getMessage().contains("holds 7 record(s) of an interrupted run"), busy.getMessage());
    }

    @Test
    void aLiveAndADeposedObjectAtOneAddress_areBothKept_throughWriteJournalReplayAndHistory() throws Exception {
        StateStore store = store();
        ResourceState live = resource(1);
        ResourceState deposed = resource(2).at(live.address(), "c").deposedRecord();
        State base = written(store, deposed, live);
        assertEquals(List.of(live, deposed), store.read().resources(), "both, the live one first");
        assertEquals(Optional.of(live), store.read().resource(live.address()), "the address names the live one");
        ResourceState rebound = live.bound("ssl9", null, null);
        JournalRecord.Intent unbind = JournalRecord.Intent.unbind(deposed, AT);
        List<JournalRecord> run = List.of(JournalRecord.Intent.bind(rebound, live.sslId(), AT), unbind,
                JournalRecord.Done.bound(rebound));
        try (RunRecorder recorder = store.record(base)) {
            recorder.intend((JournalRecord.Intent) run.get(0));
            recorder.intend(unbind);
            assertEquals(2, recorder.openIntents(), "an intent for each object of the address");
            recorder.done((JournalRecord.Done) run.get(2));
            assertEquals(List.of(unbind), recorder.open(), "the live one's result closes only its own intent");
        } // closed without finish: as if the process died
        assertEquals(run, store.journal(), "the journal keeps which object each record names");
        State replayed = JournalRecord.replay(store.read(), store.journal());
        assertEquals(List.of(rebound, deposed), replayed.resources(), "a result for the live one leaves the other");
        assertEquals(List.of(unbind), JournalRecord.openIntents(store.journal()));
        store.settle(replayed.next(replayed.resources(), "1.0"), List.of(unbind));
        try (RunRecorder recorder = store.record(store.read())) {
            recorder.done(JournalRecord.Done.unbound(deposed));
            assertEquals(List.of(rebound), recorder.finish().resources(), "removing the deposed one keeps the live");
        }
        assertEquals(List.of(live, deposed), store.version(base.serial()).orElseThrow().resources(),
                "the history keeps both as they were");
    }

    @Test
    void recordingOntoAStaleBase_isRefusedBeforeAnythingIsJournalled() throws Exception {
        StateStore store = store();
        State stale = store.read();
        written(store, resource(1));
        assertThrows(StateConflictException.class, () -> store.record(stale));
        assertTrue(store.journal().isEmpty());
    }

    @Test
    void settle_writesTheStateAndLeavesExactlyTheStillOpenIntents() throws Exception {
        StateStore store = store();
        State base = written(store);
        JournalRecord.Intent a = JournalRecord.Intent.bind(resource(1), null, AT);
        JournalRecord.Intent b = JournalRecord.Intent.bind(resource(2), null, AT.plusSeconds(1));
        try (RunRecorder run = store.record(base)) {
            run.intend(a);
            run.intend(b);
        }
        State adopted = base.next(List.of(resource(1)), "1.0");
        store.settle(adopted, List.of(b));
        assertEquals(adopted, store.read());
        assertEquals(List.of(b), store.journal());
        State done = adopted.next(List.of(resource(1), resource(2)), "1.0");
        store.settle(done, List.of());
        assertEquals(done, store.read());
        assertTrue(store.journal().isEmpty());
        assertThrows(StateConflictException.class, () -> store.settle(adopted, List.of()), "settle follows too");
    }

    @Test
    void midRunCompaction_happensBySize_andStateWithJournalAlwaysAccountsForEveryResult() throws Exception {
        StateStore store = store(4096);
        State base = store.read();
        try (RunRecorder run = store.record(base)) {
            for (int i = 0; i < 60; i++) {
                run.intend(JournalRecord.Intent.bind(resource(i), null, AT));
                run.done(JournalRecord.Done.bound(resource(i)));
                State seen = JournalRecord.replay(store.read(), store.journal());
                assertEquals(i + 1, seen.resources().size(), "after result " + i);
            }
            JournalRecord.Intent open = JournalRecord.Intent.bind(resource(999), null, AT);
            run.intend(open);
            for (int i = 60; i < 120; i++) {
                run.intend(JournalRecord.Intent.bind(resource(i), null, AT));
                run.done(JournalRecord.Done.bound(resource(i)));
            }
            assertTrue(JournalRecord.openIntents(store.journal()).contains(open), "an open intent survives compaction");
            assertTrue(run.stats().compactions() > 1 && run.stats().compactions() < 60,
                    "compacted by size, not per result: " + run.stats().compactions());
            assertEquals(120, run.finish().resources().size());
        }
        assertEquals(1, store.journal().size());
    }

    @Test
    void lock_excludesASecondHolder_namingTheFirst_waitsForTheTimeout_andIsReleasedByClose() throws Exception {
        StateStore store = store();
        StateStore.Held held = store.lock("apply", Duration.ZERO);
        StateLockException now = assertThrows(StateLockException.class, () -> store().lock("refresh", Duration.ZERO));
        assertEquals(held.lock().id(), now.holder().id());
        assertTrue(now.getMessage().contains("Operation: apply"), now.getMessage());
        assertTrue(now.getMessage().contains("ID:        " + held.lock().id()), now.getMessage());
        assertTrue(slept.isEmpty(), "no timeout: no wait");

        Instant before = clock.instant();
        StateLockException waited = assertThrows(StateLockException.class,
                () -> store().lock("refresh", Duration.ofSeconds(5)));
        assertEquals(held.lock().id(), waited.holder().id());
        assertEquals(Duration.ofSeconds(5), Duration.between(before, clock.instant()), "waited the whole timeout");
        assertTrue(slept.size() > 2, "with backoff: " + slept);

        held.close();
        try (StateStore.Held second = store().lock("refresh", Duration.ZERO)) {
            assertNotEquals(held.lock().id(), second.lock().id());
            assertEquals("refresh", second.lock().operation());
        }
        store.lock("apply", Duration.ZERO).close();
    }
    @Test
    void adopt_intoAnEmptyStore_keepsTheSerials_andTheNextWriteFollowsTheNewest() throws Exception {
        StateStore source = new InMemoryStateStore("1.0");
        List<State> versions = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            State next = source.read().next(List.of(resource(i)), "1.0");
            source.write(next);
            versions.add(next);
        }
        StateStore store = store();
        store.adopt(versions);
        assertEquals(versions.get(2), store.read());
        assertEquals(versions.get(2), store().read(), "a second handle sees it");
        assertEquals(List.of(3L, 2L, 1L), store.history().stream().map(StateVersion::serial).toList());
        assertEquals(Optional.of(versions.get(0)), store.version(1));
        State after = versions.get(2).next(List.of(), "1.0");
        store.write(after);
        assertEquals(4, store.read().serial());
        store.adopt(List.of(after));
        assertEquals(after, store.read(), "adopting what is already there changes nothing");
    }

    @Test
    void adopt_ofAnotherLineage_orOlderThanTheStored_isRefused_andWritesNothing() throws Exception {
        StateStore store = store();
        State mine = written(store, resource(1));
        State mine2 = written(store, resource(2));
        State other = State.empty("1.0").next(List.of(resource(9)), "1.0");
        StateConflictException lineage = assertThrows(StateConflictException.class, () -> store.adopt(List.of(other)));
        assertTrue(lineage.getMessage().contains("another state (lineage " + mine.lineage()), lineage.getMessage());
        StateConflictException older = assertThrows(StateConflictException.class, () -> store.adopt(List.of(mine)));
        assertTrue(older.getMessage().contains("newer than the serial 1"), older.getMessage());
        assertEquals(mine2, store.read());
        assertEquals(2, store.history().size());
    }
}
