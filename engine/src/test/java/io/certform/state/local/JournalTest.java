package io.certform.state.local;

import io.certform.state.JournalCodec;
import io.certform.state.JournalRecord;
import io.certform.state.ResourceState;
import io.certform.state.RunRecorder;
import io.certform.state.StateException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.SyncRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

    @TempDir
    Path dir;

    private static ResourceState resource(int i) {
        return new ResourceState("c[d" + i + "]", "c", "i", "g", "d" + i, null, "ssl" + i, "n", "global", null, "RSA",
                "a".repeat(64), null, null, "1", "2031-01-01T00:00:00Z", "CA");
    }

    /**
     * Group commit: while one thread's fsync is under way, the others append, and the next fsync covers all of them.
     * Each fsync is made to take 50 ms (a slow disk for certain), in which the other 15 threads each append their
     * record in microseconds (about 25 fsyncs, at most a third as many as records allowed): a journal that fsyncs once
     * per record makes 200 fsyncs (and takes 10 s).
     */
    @Test
    void concurrentDurableAppends_shareFsyncs() throws Exception {
        Path file = dir.resolve("s.json.journal");
        int records = 200;
        try (Journal journal = Journal.open(file);
             SyncRecorder disk = SyncRecorder.install(dir).slow(Duration.ofMillis(50))) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < records; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    journal.sync(journal.append(JournalRecord.Done.bound(resource(n))));
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS); // a writer no fsync wakes would wait here for ever
            }
            pool.shutdown();
            assertEquals(records, journal.records());
            assertEquals(journal.syncs(), disk.count("fsync s.json.journal"), "every fsync goes through the disk seam");
            assertTrue(journal.syncs() <= records / 3, "group commit: " + journal.syncs() + " fsyncs for "
                    + records + " records");
        }
        assertEquals(records, Journal.read(file).size());
    }

    @Test
    void tornLastLine_isIgnored_butDamageElsewhereIsAnError() throws Exception {
        Path file = dir.resolve("s.json.journal");
        try (Journal journal = Journal.open(file)) {
            journal.append(JournalRecord.Intent.unbind(resource(1), Instant.parse("2026-01-01T00:00:00Z")));
            journal.syncAll();
            journal.sync(journal.append(JournalRecord.Done.unbound("c[d1]")));
        }
        Files.writeString(file, "{\"kind\":\"intent\",\"op\":\"bi", StandardOpenOption.APPEND);
        assertEquals(2, Journal.read(file).size());
        Files.writeString(file, "\n{\"kind\":\"done\",\"op\":\"unbind\",\"address\":\"c[d2]\"}\n", StandardOpenOption.APPEND);
        StateException e = assertThrows(StateException.class, () -> Journal.read(file));
        assertTrue(e.getMessage().contains("s.json.journal:3: the journal is damaged"), e.getMessage());
    }

    @Test
    void missingJournal_readsAsEmpty() throws Exception {
        assertEquals(List.of(), Journal.read(dir.resolve("none.journal")));
    }

    @Test
    void formerFormat_withoutAtAndWithUnbound_stillReads_atTheFilesModificationTime() throws Exception {
        Path file = dir.resolve("s.json.journal");
        String binding = "{\"address\":\"c[d1]\",\"certificate\":\"c\",\"instance_id\":\"i\",\"group_id\":\"g\","
                + "\"domain_id\":\"d1\",\"url_domain\":null,\"ssl_id\":\"ssl1\",\"ssl_name\":\"n\",\"type\":\"global\","
                + "\"certificate_instance_id\":null,\"algorithm_type\":\"RSA\",\"cert_sha256\":\"a\",\"chain_sha256\":null,"
                + "\"trusted_root_ca_sha256\":null,\"serial_number\":\"1\",\"not_after\":\"2031-01-01T00:00:00Z\","
                + "\"issuer\":\"CA\"}";
        Files.writeString(file, "{\"kind\":\"intent\",\"op\":\"bind\",\"address\":\"c[d1]\",\"planned\":" + binding + "}\n"
                + "{\"kind\":\"done\",\"op\":\"bind\",\"address\":\"c[d1]\",\"resource\":" + binding + "}\n"
                + "{\"kind\":\"intent\",\"op\":\"unbind\",\"address\":\"c[d1]\",\"old_ssl_id\":\"ssl1\",\"unbound\":"
                + binding + "}\n"
                + "{\"kind\":\"void\",\"address\":\"c[d1]\"}\n");
        Instant modified = Instant.parse("2026-03-04T05:06:07Z");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(modified));
        List<JournalRecord> records = Journal.read(file);
        assertEquals(4, records.size());
        JournalRecord.Intent bind = (JournalRecord.Intent) records.get(0);
        assertEquals(JournalRecord.Op.BIND, bind.op());
        assertEquals(modified, bind.at(), "an intent written without 'at' was written by the file's last change");
        assertEquals("ssl1", ((JournalRecord.Done) records.get(1)).resource().sslId());
        JournalRecord.Intent unbind = (JournalRecord.Intent) records.get(2);
        assertEquals(JournalRecord.Op.UNBIND, unbind.op());
        assertEquals("d1", unbind.planned().domainId(), "the binding under 'unbound' is the one being removed");
        assertEquals("ssl1", unbind.oldSslId());
        assertEquals(new JournalRecord.Voided("c[d1]"), records.get(3));
    }

    @Test
    void everyRecord_roundTrips_inTheDocumentedLineFormat() throws Exception {
        Instant at = Instant.parse("2026-11-28T10:00:00.123Z");
        List<JournalRecord> records = List.of(JournalRecord.Intent.bind(resource(1), "old", at),
                JournalRecord.Intent.unbind(resource(2), at), JournalRecord.Done.bound(resource(1)),
                JournalRecord.Done.unbound("c[d2]"), new JournalRecord.Voided("c[d3]"));
        Path file = dir.resolve("s.json.journal");
        try (Journal journal = Journal.open(file)) {
            for (JournalRecord r : records) {
                journal.append(r);
            }
            journal.syncAll();
        }
        assertEquals(records, Journal.read(file));
        List<String> lines = Files.readAllLines(file);
        assertTrue(lines.get(0).startsWith("{\"kind\":\"intent\",\"op\":\"bind\",\"address\":\"c[d1]\",\"old_ssl_id\":\"old\","
                + "\"at\":\"2026-11-28T10:00:00.123Z\",\"planned\":{"), lines.get(0));
        assertEquals("{\"kind\":\"done\",\"op\":\"unbind\",\"address\":\"c[d2]\"}", lines.get(3));
        assertEquals("{\"kind\":\"void\",\"address\":\"c[d3]\"}", lines.get(4));
    }

    @Test
    void replace_leavesExactlyTheIntents_andAppendsContinueAfterThem() throws Exception {
        Path file = dir.resolve("s.json.journal");
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        try (Journal journal = Journal.open(file)) {
            for (int i = 0; i < 5; i++) {
                journal.append(JournalRecord.Done.bound(resource(i)));
            }
            JournalRecord.Intent open = JournalRecord.Intent.bind(resource(9), null, at);
            journal.append(open);
            journal.syncAll();
            journal.replace(List.of(open));
            assertEquals(List.of(open), Journal.read(file));
            journal.sync(journal.append(new JournalRecord.Voided("c[d9]")));
            assertEquals(List.of(open, new JournalRecord.Voided("c[d9]")), Journal.read(file));
            journal.delete();
        }
        assertTrue(Files.notExists(file));
        try (java.util.stream.Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "no temporary file is left behind");
        }
    }

    /**
     * A run killed while writing its first record leaves a torn last line, which reads as nothing (its call was never
     * sent). The next run appends to that journal: its first record must not be glued to the torn bytes, where it
     * would read as the same torn line, and a durable intent, whose call was sent, would be lost.
     */
    @Test
    void aRecordAppendedAfterATornLastLine_isItsOwnLine_andReads() throws Exception {
        Path stateFile = dir.resolve("s.json");
        Path file = dir.resolve("s.json.journal");
        byte[] whole = JournalCodec.encode(JournalRecord.Intent.bind(resource(1), null, Instant.now()));
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));
        LocalStateStore store = new LocalStateStore(stateFile, "1.0");
        assertEquals(List.of(), store.journal(), "the torn line was never sent: it reads as nothing");
        RunRecorder run = store.record(store.read());
        JournalRecord.Intent sent = JournalRecord.Intent.bind(resource(2), null, Instant.now());
        run.intend(sent); // durable: the call may now be sent; then the run is killed
        List<JournalRecord> left = store.journal();
        assertEquals(1, left.size(), "the intent of the call sent is in the journal: " + left);
        assertEquals(sent.address(), ((JournalRecord.Intent) left.get(0)).address());
    }
}
