package io.certform.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

    @TempDir
    Path dir;

    private static ResourceState resource(int i) {
        return new ResourceState("c[d" + i + "]", "c", "i", "g", "d" + i, null, "ssl" + i, "n", "global", null, "RSA",
                "a".repeat(64), null, null, "1", "2031-01-01T00:00:00Z", "CA");
    }

    @Test
    void concurrentDurableAppends_shareFsyncs() throws Exception {
        Path file = dir.resolve("s.json.journal");
        int records = 400;
        try (Journal journal = Journal.open(file)) {
            ExecutorService pool = Executors.newFixedThreadPool(32);
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < records; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    journal.appendDurably(JournalRecord.bound(resource(n)));
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            assertEquals(records, journal.recordCount());
            assertTrue(journal.syncCount() < records, "group commit: " + journal.syncCount() + " fsyncs for "
                    + records + " records");
        }
        assertEquals(records, Journal.read(file).size());
    }

    @Test
    void tornLastLine_isIgnored_butDamageElsewhereIsAnError() throws Exception {
        Path file = dir.resolve("s.json.journal");
        try (Journal journal = Journal.open(file)) {
            journal.appendDurably(JournalRecord.intendUnbind(resource(1)));
            journal.appendDurably(JournalRecord.unbound("c[d1]"));
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
}
