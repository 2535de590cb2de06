package io.certform.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.bench.BenchWorkspace;
import io.certform.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code certform report} of 100,000 bindings in a small heap: run on demand with
 * {@code -Dcertform.report.large=true -DargLine=-Xmx256m} (it checks that the heap is that small).
 */
class ReportScaleTest {

    @Test
    void fleetOf100000Bindings_isWrittenIn256MiBOfHeap_withinSeconds(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("certform.report.large"),
                "100,000 bindings: run with -Dcertform.report.large=true -DargLine=-Xmx256m");
        long heap = Runtime.getRuntime().maxMemory();
        assertTrue(heap <= 272L << 20, "run with -DargLine=-Xmx256m: the heap is " + (heap >> 20) + " MiB");
        Path manifest = BenchWorkspace.write(dir, new BenchWorkspace.Spec(100_000, 10, 12, "http://127.0.0.1:9", true,
                false, true));
        System.gc();
        Path page = dir.resolve("report.html");
        long start = System.nanoTime();
        CliRun run = CliRun.run("report", "-f", manifest.toString(), "-o", page.toString());
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("10000 certificates, 100000 bindings"), run.out());
        System.out.printf("report of 100000 bindings in a %d MiB heap: %d ms, %d KiB%n", heap >> 20, ms,
                Files.size(page) / 1024);
        assertTrue(ms < 60_000, "written within a minute even on a loaded machine: " + ms + " ms");
    }
}
