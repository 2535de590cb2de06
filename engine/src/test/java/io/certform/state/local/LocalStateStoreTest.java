package io.certform.state.local;

import io.certform.state.JournalRecord;
import io.certform.state.ResourceState;
import io.certform.state.RunRecorder;
import io.certform.state.State;
import io.certform.state.StateException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.SyncRecorder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStateStoreTest {

    @TempDir
    Path dir;

    private static ResourceState resource(int i) {
        return new ResourceState("c[d" + i + ".example.com]", "c", "inst", "grp", "dom" + i, "d" + i + ".example.com",
                "ssl" + i, "cert_name", "global", null, "ECC", "sha" + i, "chain" + i, null, "5a" + i,
                "2031-08-16T06:36:13Z", "Test CA");
    }

    @Test
    void read_withoutFile_isEmptyStateWithFreshLineage() throws StateException {
        LocalStateStore store = new LocalStateStore(dir.resolve("s.json"), "1.0");
        State a = store.read();
        State b = store.read();
        assertEquals(0, a.serial());
        assertTrue(a.resources().isEmpty());
        assertNotEquals(a.lineage(), b.lineage(), "every new state gets its own lineage");
    }

    @Test
    void writeThenRead_roundTripsEveryField_withSnakeCaseNames() throws Exception {
        Path file = dir.resolve("s.json");
        LocalStateStore store = new LocalStateStore(file, "1.0");
        State written = State.empty("1.0").next(List.of(resource(2), resource(1)), "1.0");
        store.write(written);
        State read = store.read();
        assertEquals(written, read);
        assertEquals("c[d1.example.com]", read.resources().get(0).address(), "resources are sorted by address");
        String text = Files.readString(file);
        for (String field : List.of("\"format_version\"", "\"lineage\"", "\"serial\"", "\"resources\"", "\"address\"",
                "\"instance_id\"", "\"group_id\"", "\"domain_id\"", "\"url_domain\"", "\"ssl_id\"", "\"ssl_name\"",
                "\"type\"", "\"algorithm_type\"", "\"cert_sha256\"", "\"serial_number\"", "\"not_after\"")) {
            assertTrue(text.contains(field), field + " missing from\n" + text);
        }
    }

    @Test
    void write_makesTheFileOwnerOnly_keepsThePreviousInTheHistory_andLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("s.json");
        LocalStateStore store = new LocalStateStore(file, "1.0");
        State first = State.empty("1.0").next(List.of(resource(1)), "1.0");
        store.write(first);
        assertTrue(Files.notExists(store.historyFolder()), "nothing to keep on the first write");
        State second = store.read().next(List.of(resource(1), resource(2)), "1.0");
        store.write(second);
        assertEquals(Optional.of(first), store.version(1), "the previous state is kept");
        assertEquals(second, store.read());
        Path kept = store.historyFolder().resolve("1.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.historyFolder())));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file, store.historyFolder()), files.sorted().toList());
        }
        try (Stream<Path> files = Files.list(store.historyFolder())) {
            assertEquals(List.of(kept), files.toList());
        }
    }

    @Test
    void write_replacesAtomically_aConcurrentReaderNeverSeesHalfAFile() throws Exception {
        Path file = dir.resolve("s.json");
        LocalStateStore writer = new LocalStateStore(file, "1.0");
        List<ResourceState> many = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            many.add(resource(i));
        }
        State state = State.empty("1.0").next(many.subList(0, 1), "1.0");
        writer.write(state);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        List<Throwable> problems = new ArrayList<>();
        Thread reader = new Thread(() -> {
            LocalStateStore store = new LocalStateStore(file, "1.0");
            while (!done.get()) {
                try {
                    State seen = store.read();
                    if (seen.resources().size() != seen.serial()) {
                        problems.add(new AssertionError("serial " + seen.serial() + " with "
                                + seen.resources().size() + " resources"));
                    }
                    reads.incrementAndGet();
                } catch (StateException e) {
                    problems.add(e);
                }
            }
        });
        reader.start();
        for (int i = 2; i <= many.size(); i++) {
            state = state.next(many.subList(0, i), "1.0");
            writer.write(state);
        }
        done.set(true);
        reader.join();
        assertTrue(problems.isEmpty(), "reader saw a torn or invalid state: " + problems.stream().findFirst());
        assertTrue(reads.get() > 0);
        assertEquals(400, writer.read().resources().size());
    }

    @Test
    void read_ofCorruptFile_namesFileLineAndColumn_andWhatToDo() throws IOException {
        Path file = dir.resolve("s.json");
        Files.writeString(file, "{\n  \"format_version\": 1,\n  \"lineage\": \"x\",\n  \"serial\": oops\n}\n");
        StateException e = assertThrows(StateException.class, () -> new LocalStateStore(file, "1.0").read());
        assertTrue(e.getMessage().startsWith(file + ":4:"), e.getMessage());
        assertTrue(e.getMessage().contains("Restore a previous version from s.json.history/ ('certform state history' lists"
                + " them) or from version control"), e.getMessage());
    }

    @Test
    void read_ofNewerFormat_asksForAnUpgrade() throws IOException {
        Path file = dir.resolve("s.json");
        Files.writeString(file, "{\"format_version\": 9, \"lineage\": \"x\", \"serial\": 1, \"resources\": []}");
        StateException e = assertThrows(StateException.class, () -> new LocalStateStore(file, "1.0").read());
        assertTrue(e.getMessage().contains("written by a newer certform (format_version 9)"), e.getMessage());
    }

    @Test
    void checkWritable_failsBeforeAnyCall_whenTheFolderIsMissing() {
        LocalStateStore store = new LocalStateStore(dir.resolve("missing/s.json"), "1.0");
        StateException e = assertThrows(StateException.class, store::checkWritable);
        assertTrue(e.getMessage().contains("the folder of the state file does not exist"), e.getMessage());
    }

    @Test
    void write_intoMissingFolder_failsClearly_andLeavesNothing() {
        LocalStateStore store = new LocalStateStore(dir.resolve("missing/s.json"), "1.0");
        StateException e = assertThrows(StateException.class,
                () -> store.write(State.empty("1.0").next(List.of(), "1.0")));
        assertTrue(e.getMessage().startsWith("cannot write the state file "), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("missing")));
    }

    private long bytesToRecord(int results, long compactAt) throws Exception {
        Path folder = Files.createDirectory(dir.resolve("run" + results));
        LocalStateStore store = new LocalStateStore(folder.resolve("s.json"), "1.0", java.time.Clock.systemUTC(),
                d -> { }, compactAt);
        try (RunRecorder run = store.record(store.read())) {
            for (int i = 0; i < results; i++) {
                run.done(JournalRecord.Done.bound(resource(i))); // results only: intents would cost an fsync each
            }
            assertEquals(results, run.finish().resources().size());
            assertTrue(run.stats().compactions() > 3, "compacted mid-run: " + run.stats());
            return run.stats().bytesWritten();
        }
    }

    @Test
    void bytesWrittenByARun_growLinearlyWithItsResults_notQuadratically() throws Exception {
        long small = bytesToRecord(1000, 16 * 1024);
        long large = bytesToRecord(4000, 16 * 1024);
        // Rewriting the whole state every fixed number of results would cost about 16 times as much for 4 times
        // the results; compaction paid for by journal growth costs about 4 times.
        assertTrue(large < small * 5, "1000 results: " + small + " bytes; 4000 results: " + large + " bytes");
    }

    @Test
    void finish_deletesTheJournalFile_whenNothingIsOpen_andKeepsOnlyOpenIntentsOtherwise() throws Exception {
        LocalStateStore store = new LocalStateStore(dir.resolve("s.json"), "1.0");
        java.time.Instant at = java.time.Instant.parse("2026-01-01T00:00:00Z");
        try (RunRecorder run = store.record(store.read())) {
            run.intend(JournalRecord.Intent.bind(resource(1), null, at));
            run.done(JournalRecord.Done.bound(resource(1)));
            assertTrue(Files.exists(store.journalFile()));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.journalFile())));
            run.finish();
        }
        assertTrue(Files.notExists(store.journalFile()));
        JournalRecord.Intent open = JournalRecord.Intent.bind(resource(2), null, at);
        try (RunRecorder run = store.record(store.read())) {
            run.intend(open);
            run.finish();
        }
        assertEquals(List.of(open), store.journal());
        assertEquals(1, Files.readAllLines(store.journalFile()).size());
    }

    /**
     * Intents from many workers share fsyncs: each fsync is made to take 50 ms (a slow disk for certain), in which
     * the other 15 workers journal their intents; one fsync per intent would be 160 (and 8 s).
     */
    @Test
    void concurrentIntents_shareFsyncs() throws Exception {
        LocalStateStore store = new LocalStateStore(dir.resolve("s.json"), "1.0");
        java.time.Instant at = java.time.Instant.parse("2026-01-01T00:00:00Z");
        int calls = 160;
        try (RunRecorder run = store.record(store.read());
             SyncRecorder disk = SyncRecorder.install(dir).slow(java.time.Duration.ofMillis(50))) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    run.intend(JournalRecord.Intent.bind(resource(n), null, at));
                    run.done(JournalRecord.Done.bound(resource(n)));
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            assertEquals(2L * calls, run.stats().records());
            assertEquals(run.stats().fsyncs(), disk.count("fsync s.json.journal"), "every fsync through the seam");
            assertTrue(run.stats().fsyncs() <= calls / 3, "group commit: " + run.stats());
            assertEquals(calls, run.finish().resources().size());
        }
    }
}
