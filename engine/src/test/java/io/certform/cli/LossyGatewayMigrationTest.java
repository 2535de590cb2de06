package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.simulator.Faults;
import io.certform.simulator.Simulator;
import io.certform.simulator.World;
import io.certform.testkit.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model changes on a lossy gateway (guarantees 1 and 2, lost answers and late writes): per-domain -> shared ->
 * per-domain, and a shared replacement, each step retried by plain applies until it succeeds. No domain is ever
 * left without a certificate, and each certificate is created exactly once.
 */
class LossyGatewayMigrationTest {

    static final TestCertificates.Issued CERT = TestCertificates.authority("Lossy test CA")
            .issue("*.shop.example.com");

    @TempDir
    Path dir;

    Path manifest(Simulator simulator, String mode) throws Exception {
        return manifest(simulator, mode, "global");
    }

    Path manifest(Simulator simulator, String mode, String type) throws Exception {
        return ShopWorld.manifest(simulator).attachChunk(7).mode(mode).type(type).write(dir, CERT);
    }

    static CliRun untilDone(Path manifest) {
        CliRun last = null;
        for (int run = 0; run < 8; run++) {
            last = CliRun.run("apply", "-f", manifest.toString(), "--auto-approve", "--settle-window", "2s");
            if (last.exitCode() == 0) {
                return last;
            }
        }
        return last;
    }

    @Test
    void lossyGateway_migrationBothWays_neverBare_oneCertificateCreated() throws Exception {
        Faults faults = Faults.none().withRates(0.1, 0.05, 0.15, 0).withRetryAfter(Duration.ZERO)
                .withLateWrites(0.15, Duration.ofMillis(300));
        try (Simulator simulator = ShopWorld.start(40, 4, ShopWorld.options(17).withFaults(faults))) {
            Path manifest = manifest(simulator, "per-domain");
            CliRun first = untilDone(manifest);
            assertEquals(0, first.exitCode(), first.toString());
            assertTrue(simulator.awaitWritesLanded(Duration.ofSeconds(10)));
            List<String> bare = BareDomains.watch(simulator);
            manifest(simulator, "shared");
            CliRun toShared = untilDone(manifest);
            assertEquals(0, toShared.exitCode(), toShared.toString());
            assertTrue(simulator.awaitWritesLanded(Duration.ofSeconds(10)));
            assertEquals(1, simulator.world().managedCertificatesCreated(), "created once");
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(1, d.attachedIds().size(), d.urlDomain());
            }
            manifest(simulator, "per-domain");
            CliRun back = untilDone(manifest);
            assertEquals(0, back.exitCode(), back.toString());
            assertTrue(simulator.awaitWritesLanded(Duration.ofSeconds(10)));
            assertEquals(List.of(), bare, "domains left without a certificate");
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(List.of(), d.attachedIds(), d.urlDomain());
                assertTrue(d.sslId() != null, d.urlDomain());
            }
            assertEquals(0, simulator.world().managedCertificateCount(), "the shared certificate was deleted");
        }
    }

    /** A shared certificate replaced (type global -> instance) on the same lossy gateway, retried until done. */
    @Test
    void lossyGateway_sharedReplacement_retriedUntilDone_converges() throws Exception {
        Faults faults = Faults.none().withRates(0.1, 0.05, 0.15, 0).withRetryAfter(Duration.ZERO)
                .withLateWrites(0.15, Duration.ofMillis(300));
        try (Simulator simulator = ShopWorld.start(40, 4, ShopWorld.options(17).withFaults(faults))) {
            Path manifest = manifest(simulator, "shared", "global");
            CliRun first = untilDone(manifest);
            assertEquals(0, first.exitCode(), first.toString());
            assertTrue(simulator.awaitWritesLanded(Duration.ofSeconds(10)));
            List<String> bare = BareDomains.watch(simulator);
            manifest(simulator, "shared", "instance");
            CliRun replaced = untilDone(manifest);
            assertEquals(0, replaced.exitCode(), replaced.toString());
            assertTrue(simulator.awaitWritesLanded(Duration.ofSeconds(10)));
            assertEquals(List.of(), bare, "domains left without a certificate");
            assertEquals(1, simulator.world().managedCertificateCount(), "the old certificate was deleted");
            assertEquals(2, simulator.world().managedCertificatesCreated(), "the replacement was created once");
        }
    }
}
