package io.certform.state.local;

import io.certform.state.JournalRecord;
import io.certform.state.ResourceState;
import io.certform.state.RunRecorder;
import io.certform.state.State;
import io.certform.state.StateStore;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.certform.base.SyncRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order of the disk steps of the local store's durable writes, as {@link SyncRecorder} sees them: what is
 * fsynced, renamed and made durable in its folder, and in which order. Killing a process keeps the page cache, so
 * crash tests cannot see a missing fsync; these tests do.
 */
class DurableWriteOrderTest {

    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private static ResourceState resource(int i) {
        return new ResourceState("c[d" + i + "]", "c", "i", "g", "d" + i, null, "ssl" + i, "n", "global", null, "RSA",
                "a".repeat(64), null, null, "1", "2031-01-01T00:00:00Z", "CA");
    }

    @Test
    void firstStateWrite_syncsTheTemporaryFile_thenRenamesItOverTheState_thenSyncsTheFolder() throws Exception {
        LocalStateStore store = new LocalStateStore(dir.resolve("s.json"), "1.0");
        try (SyncRecorder disk = SyncRecorder.install(dir)) {
            store.write(State.empty("1.0").next(List.of(resource(1)), "1.0"));
            assertEquals(List.of(
                    "fsync .s.json.tmp",
                    "rename .s.json.tmp -> s.json",
                    "sync-folder ."), disk.steps());
        }
    }

    @Test
    void laterStateWrite_keepsThePreviousInTheHistoryDurably_beforeTheRenameOverTheState() throws Exception {
        LocalStateStore store = new LocalStateStore(dir.resolve("s.json"), "1.0");
        State first = State.empty("1.0").next(List.of(resource(1)), "1.0");
        store.write(first);
        try (SyncRecorder disk = SyncRecorder.install(dir)) {
            store.write(first.next(List.of(resource(1), resource(2)), "1.0"));
            assertEquals(List.of(
                    "fsync .s.json.tmp",
                    "sync-folder .", // the history folder's entry, created by this write
                    "rename s.json.history/.1.json.tmp -> s.json.history/1.json",
                    "sync-folder s.json.history",
                    "rename .s.json.tmp -> s.json",
                    "sync-folder ."), disk.steps());
            disk.clear();
            store.write(first.next(List.of(resource(2)), "1.0").next(List.of(resource(3)), "1.0"));
            assertEquals(List.of(
                    "fsync .s.json.tmp",
                    "rename s.json.history/.2.json.tmp -> s.json.history/2.json",
                    "sync-folder s.json.history",
                    "rename .s.json.tmp -> s.json",
                    "sync-folder ."), disk.steps());
        }
    }

    @Test
    void recordedRun_syncsEachIntentBeforeItReturns_andTheResultsBeforeTheStateIsWritten() throws Exception {
        LocalStateStore store = new LocalStateStore(dir.resolve("s.json"), "1.0");
        try (SyncRecorder disk = SyncRecorder.install(dir).countLines("s.json.journal");
             RunRecorder run = store.record(store.read())) {
            assertEquals(List.of("sync-folder ."), disk.steps(), "the journal is created, its folder entry durable");
            run.intend(JournalRecord.Intent.bind(resource(1), null, AT));
            assertEquals(List.of(
                    "sync-folder .",
                    "fsync s.json.journal (1 lines)"), disk.steps(), "the intent is durable when intend returns");
            run.done(JournalRecord.Done.bound(resource(1)));
            assertEquals(2, disk.steps().size(), "a result is appended, its fsync left to the next intent or the end");
            disk.clear();
            run.finish();
            assertEquals(List.of(
                    "fsync s.json.journal (2 lines)",
                    "fsync .s.json.tmp",
                    "rename .s.json.tmp -> s.json",
                    "sync-folder .",
                    "sync-folder ."), disk.steps(), "results durable, then the state, then the journal deleted");
        }
    }

    @Test
    void journalKeepingOpenIntents_isReplacedByASyncedTemporaryFile_renamedOverIt_thenTheFolderSynced()
            throws Exception {
        LocalStateStore store = new LocalStateStore(dir.resolve("s.json"), "1.0");
        try (SyncRecorder disk = SyncRecorder.install(dir).countLines(".s.json.journal.tmp");
             RunRecorder run = store.record(store.read())) {
            run.intend(JournalRecord.Intent.bind(resource(1), null, AT));
            run.intend(JournalRecord.Intent.bind(resource(2), null, AT));
            run.done(JournalRecord.Done.bound(resource(1)));
            disk.clear();
            run.finish();
            assertEquals(List.of(
                    "fsync s.json.journal",
                    "fsync .s.json.tmp",
                    "rename .s.json.tmp -> s.json",
                    "sync-folder .",
                    "fsync .s.json.journal.tmp (1 lines)",
                    "rename .s.json.journal.tmp -> s.json.journal",
                    "sync-folder ."), disk.steps(), "the open intent alone, replacing the journal atomically");
        }
    }

    @Test
    void tornLastLine_isCutOffDurably_beforeAnythingIsAppended() throws Exception {
        Path file = dir.resolve("s.json.journal");
        try (Journal journal = Journal.open(file)) {
            journal.sync(journal.append(JournalRecord.Intent.bind(resource(1), null, AT)));
        }
        Files.writeString(file, "{\"kind\":\"intent\",\"op\":\"bi", StandardOpenOption.APPEND);
        try (SyncRecorder disk = SyncRecorder.install(dir).countLines("s.json.journal");
             Journal journal = Journal.open(file)) {
            assertEquals(List.of("fsync s.json.journal (1 lines)"), disk.steps(), "the torn bytes cut off, durably");
        }
    }

    @Test
    void takingTheLock_syncsTheHolderIntoTheLockFile() throws Exception {
        LocalStateStore store = new LocalStateStore(dir.resolve("s.json"), "1.0");
        try (SyncRecorder disk = SyncRecorder.install(dir).countLines("s.json.lock");
             StateStore.Held held = store.lock("apply", Duration.ZERO)) {
            assertEquals(List.of("fsync s.json.lock (1 lines)"), disk.steps());
        }
    }
}
