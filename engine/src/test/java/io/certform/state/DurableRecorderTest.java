package io.certform.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The run recorder over a journal that writes down what it is asked: an intent is appended before it is synced and
 * counted open only once appended; results close it; the state is written once at the end (or when the journal
 * has grown past the threshold and past the last state written), and the journal is then left with exactly the
 * intents still open, or removed.
 */
class DurableRecorderTest {

    private static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");

    /** A journal that writes down every operation, with a size the test sets, and failures it is told to make. */
    private static final class Log implements JournalLog {
        final List<String> events = new ArrayList<>();
        final List<List<String>> replacedWith = new ArrayList<>();
        long size;
        long sequence;
        long syncs;
        String failOn;

        private void maybeFail(String operation) throws IOException {
            if (operation.equals(failOn)) {
                throw new IOException("disk full");
            }
        }

        @Override
        public long append(JournalRecord record) throws IOException {
            maybeFail("append");
            events.add("append " + kind(record) + " " + record.address());
            return ++sequence;
        }

        @Override
        public void sync(long upTo) throws IOException {
            maybeFail("sync");
            events.add("sync " + upTo);
            syncs++;
        }

        @Override
        public void syncAll() throws IOException {
            maybeFail("syncAll");
            events.add("syncAll");
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public void replace(Collection<JournalRecord.Intent> intents) throws IOException {
            maybeFail("replace");
            List<String> addresses = intents.stream().map(JournalRecord::address).toList();
            events.add("replace " + addresses);
            replacedWith.add(addresses);
        }

        @Override
        public void delete() throws IOException {
            maybeFail("delete");
            events.add("delete");
        }

        @Override
        public long records() {
            return sequence;
        }

        @Override
        public long syncs() {
            return syncs;
        }

        @Override
        public long bytesWritten() {
            return 1000;
        }

        @Override
        public String describe() {
            return "the journal j";
        }

        @Override
        public void close() {
            events.add("close");
        }

        private static String kind(JournalRecord record) {
            return record instanceof JournalRecord.Intent ? "intent"
                    : record instanceof JournalRecord.Done ? "done" : "void";
        }
    }

    private final Log log = new Log();
    private final List<State> written = new ArrayList<>();
    private long stateBytes = 10;

    private DurableRecorder recorder(State base, List<JournalRecord.Intent> carried, long compactAt) {
        return new DurableRecorder(base, carried, log, next -> {
            log.events.add("write state " + next.serial());
            written.add(next);
            return stateBytes;
        }, "9.9", compactAt);
    }

    private static ResourceState binding(String address, String sslId) {
        return new ResourceState(address, "c", "inst1", "grp1", "d-" + address, address, sslId, "cert", "global",
                null, "RSA", "aa", null, null, "01", null, null);
    }

    private static State base(ResourceState... resources) {
        return new State(State.FORMAT_VERSION, "t", "lineage-1", 4, List.of(resources));
    }

    private static JournalRecord.Intent bind(String address) {
        return JournalRecord.Intent.bind(binding(address, null), null, AT);
    }

    @Test
    void anIntent_isAppendedThenSynced_andOpenUntilItsResult() {
        DurableRecorder r = recorder(base(), List.of(), 1 << 20);
        r.intendAll(List.of(bind("a"), bind("b")));
        assertEquals(List.of("append intent a", "append intent b", "sync 2"), log.events,
                "both appended, then one sync up to the last");
        assertEquals(2, r.openIntents());
        r.done(JournalRecord.Done.bound(binding("a", "ssl-a")));
        r.voided("b");
        assertEquals(0, r.openIntents());
        assertEquals(List.of(), r.open());
    }

    @Test
    void anIntentWrittenAgain_isOpenOnce_inTheOrderOfItsLastWriting() {
        DurableRecorder r = recorder(base(), List.of(bind("a")), 1 << 20);
        r.intend(bind("b"));
        r.intend(bind("a"));
        assertEquals(List.of("b", "a"), r.open().stream().map(JournalRecord::address).toList());
    }

    @Test
    void noIntents_writeNothing() {
        recorder(base(), List.of(), 1 << 20).intendAll(List.of());
        assertEquals(List.of(), log.events);
    }

    @Test
    void finish_foldsEveryResultIntoTheNextState_andRemovesAJournalWithNothingOpen() throws Exception {
        DurableRecorder r = recorder(base(binding("kept", "ssl-k"), binding("gone", "ssl-g")), List.of(), 1 << 20);
        r.intend(bind("new"));
        r.done(JournalRecord.Done.bound(binding("new", "ssl-n")));
        r.intend(JournalRecord.Intent.unbind(binding("gone", "ssl-g"), AT));
        r.done(JournalRecord.Done.unbound("gone"));
        State next = r.finish();
        assertEquals(5, next.serial(), "the base's successor");
        assertEquals("9.9", next.certformVersion());
        assertEquals(List.of("kept", "new"), next.resources().stream().map(ResourceState::address).toList());
        assertEquals("ssl-n", next.resource("new").orElseThrow().sslId());
        assertEquals(List.of(next), written, "the state is written once");
        assertEquals(List.of("syncAll", "write state 5", "delete", "close"),
                log.events.subList(log.events.indexOf("syncAll"), log.events.size()),
                "the journal is synced before the state is written, and removed only after");
    }

    @Test
    void finish_leavesTheJournalWithExactlyTheIntentsStillOpen() throws Exception {
        DurableRecorder r = recorder(base(), List.of(bind("carried")), 1 << 20);
        r.intend(bind("a"));
        r.intend(bind("b"));
        r.done(JournalRecord.Done.bound(binding("a", "ssl-a")));
        r.finish();
        assertEquals(List.of(List.of("carried", "b")), log.replacedWith);
        assertTrue(log.events.indexOf("write state 5") < log.events.indexOf("replace [carried, b]"));
    }

    @Test
    void afterFinish_theRecorderRefusesMoreRecords() throws Exception {
        DurableRecorder r = recorder(base(), List.of(), 1 << 20);
        r.finish();
        assertThrows(IllegalStateException.class, () -> r.intend(bind("a")));
        assertThrows(IllegalStateException.class, () -> r.voided("a"));
        assertThrows(IllegalStateException.class, () -> r.done(JournalRecord.Done.bound(binding("a", "ssl-a"))));
        assertThrows(IllegalStateException.class, r::finish);
        r.close();
        assertEquals(1, log.events.stream().filter("close"::equals).count(), "the journal is closed once");
    }

    @Test
    void theJournalIsCompacted_whenItReachesTheThreshold_andNotBefore() {
        DurableRecorder r = recorder(base(), List.of(), 100);
        r.intend(bind("a"));
        r.intend(bind("b"));
        log.size = 99;
        r.done(JournalRecord.Done.bound(binding("a", "ssl-a")));
        assertEquals(List.of(), written, "below the threshold: no state written");
        log.size = 100;
        r.voided("x");
        assertEquals(1, written.size(), "at the threshold: compacted");
        assertEquals(List.of("a"), written.get(0).resources().stream().map(ResourceState::address).toList());
        assertEquals(List.of(List.of("b")), log.replacedWith, "the journal keeps the intent still open");
        assertEquals(1, r.stats().compactions());
        assertEquals(10 + 1000, r.stats().bytesWritten(), "the state's bytes and the journal's");
    }

    @Test
    void theJournalIsNotCompacted_beforeItHasGrownPastTheLastStateWritten() {
        stateBytes = 500;
        DurableRecorder r = recorder(base(), List.of(), 100);
        r.intend(bind("a"));
        log.size = 100;
        r.done(JournalRecord.Done.bound(binding("a", "ssl-a")));
        assertEquals(1, written.size());
        log.size = 499;
        r.voided("x");
        assertEquals(1, written.size(), "a 500-byte state is not rewritten for 499 journal bytes");
        log.size = 500;
        r.voided("y");
        assertEquals(2, written.size());
        assertEquals(1000, r.stats().bytesWritten() - 2 * 500, "both states' bytes are counted");
        assertEquals(2, r.stats().compactions());
    }

    @Test
    void anIntentThatCannotBeAppended_isNotOpen_andStopsTheRun() {
        DurableRecorder r = recorder(base(), List.of(), 1 << 20);
        log.failOn = "append";
        JournalFailure e = assertThrows(JournalFailure.class, () -> r.intend(bind("a")));
        assertEquals(0, r.openIntents(), "never journalled, so never sent");
        assertTrue(e.failure().getMessage().startsWith("cannot append to the journal the journal j: disk full"),
                e.failure().getMessage());
    }

    @Test
    void anIntentThatCannotBeSynced_stopsTheRun() {
        DurableRecorder r = recorder(base(), List.of(), 1 << 20);
        log.failOn = "sync";
        JournalFailure e = assertThrows(JournalFailure.class, () -> r.intend(bind("a")));
        assertTrue(e.failure().getMessage().startsWith("cannot sync the journal"), e.failure().getMessage());
    }

    @Test
    void aJournalThatCannotBeSyncedAtFinish_keepsTheStateUnwritten() {
        DurableRecorder r = recorder(base(), List.of(), 1 << 20);
        log.failOn = "syncAll";
        StateException e = assertThrows(StateException.class, r::finish);
        assertEquals(List.of(), written);
        assertTrue(e.getMessage().contains("The state was not written"), e.getMessage());
        assertTrue(log.events.contains("close"), "the journal is closed all the same");
    }

    @Test
    void aJournalThatCannotBeRemovedAtFinish_saysTheStateIsWritten() {
        DurableRecorder r = recorder(base(), List.of(), 1 << 20);
        log.failOn = "delete";
        StateException e = assertThrows(StateException.class, r::finish);
        assertEquals(1, written.size());
        assertTrue(e.getMessage().contains("The state is written"), e.getMessage());
    }

    @Test
    void aCompactionThatCannotReplaceTheJournal_stopsTheRun() {
        DurableRecorder r = recorder(base(), List.of(), 1);
        r.intend(bind("a"));
        log.size = 1;
        log.failOn = "replace";
        JournalFailure e = assertThrows(JournalFailure.class, () -> r.voided("a"));
        assertTrue(e.failure().getMessage().startsWith("cannot compact the journal"), e.failure().getMessage());
    }

    @Test
    void aStateThatCannotBeWrittenMidRun_stopsTheRun() {
        StateException refused = new StateException("the state changed underneath");
        DurableRecorder r = new DurableRecorder(base(), List.of(), log, next -> {
            throw refused;
        }, "9.9", 1);
        r.intend(bind("a"));
        log.size = 1;
        assertSame(refused, assertThrows(JournalFailure.class, () -> r.voided("a")).failure());
    }

    @Test
    void close_leavesTheJournalAsItIs() {
        DurableRecorder r = recorder(base(), List.of(), 1 << 20);
        r.intend(bind("a"));
        r.close();
        r.close();
        assertEquals(List.of("append intent a", "sync 1", "close"), log.events);
        assertEquals(List.of(), written);
    }
}
