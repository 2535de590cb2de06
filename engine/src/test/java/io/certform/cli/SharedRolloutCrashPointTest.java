package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.simulator.Simulator;
import io.certform.simulator.World;
import io.certform.state.ResourceState;
import io.certform.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shared certificate's rotation in waves killed between waves, after a wave and mid-wave (guarantee 8;
 * RolloutCrashPointTest covers the per-domain model): the new certificate resource is created as wild_cert_2 while
 * the old one holds the name, and a plain apply finishes the rotation: one certificate, under the declared name,
 * the new serial, every domain attached to it and verified, no domain ever without a certificate. Destroy after
 * such a kill removes both certificates.
 */
class SharedRolloutCrashPointTest {

    static final int DOMAINS = 30;

    @TempDir
    Path dir;

    Path manifest(Simulator simulator, TestCertificates.Issued cert) throws Exception {
        return manifest(simulator, cert, "wild_cert");
    }

    Path manifest(Simulator simulator, TestCertificates.Issued cert, String name) throws Exception {
        Files.writeString(dir.resolve("roots.pem"), RolloutEndToEndTest.CA.certificatePem());
        return ShopWorld.manifest(simulator).attachChunk(4)
                .rollout("waves: [1, \"10%\", \"100%\"]", "verify: tls", ShopWorld.tlsProbe(simulator),
                        "on_failure: rollback")
                .name(name).mode("shared").material("site").write(dir, cert);
    }

    @ParameterizedTest(name = "shared rotation in waves, killed at {0}")
    @ValueSource(strings = {"between-waves:1", "between-waves:2", "after-wave:2", "after-send:1", "after-send:3",
            "after-intent:2"})
    void sharedRolloutKilled_thenPlainApply_finishesIt(String crashAt) throws Exception {
        try (Simulator simulator = ShopWorld.startServingTls(DOMAINS, 5, 3)) {
            Path manifest = manifest(simulator, RolloutEndToEndTest.OLD);
            CliRun first = CliRun.run("apply", "-f", manifest.toString(), "--auto-approve");
            assertEquals(0, first.exitCode(), first.toString());
            List<String> bare = BareDomains.watch(simulator);
            manifest(simulator, RolloutEndToEndTest.NEW);
            CliRun.killedApply(manifest, crashAt);
            CliRun rerun = CliRun.run("apply", "-f", manifest.toString(), "--auto-approve",
                    "--settle-window", "2s");
            assertEquals(0, rerun.exitCode(), rerun.toString());
            assertEquals(List.of(), bare, "domains left without a certificate");
            List<ResourceState> state = ShopWorld.resources(dir);
            assertTrue(state.stream().noneMatch(ResourceState::deposed), state.stream()
                    .map(ResourceState::address).toList() + "\n" + rerun);
            ResourceState certificate = state.stream().filter(ResourceState::certificateResource).findFirst()
                    .orElseThrow();
            assertEquals(RolloutEndToEndTest.NEW.serialHex(), certificate.serialNumber());
            assertEquals("wild_cert", certificate.sslName(), "the declared name, once the old one is gone");
            assertEquals(1, simulator.world().managedCertificateCount(), "the old certificate was deleted");
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(List.of(certificate.sslId()), d.attachedIds(), d.urlDomain());
            }
            for (ResourceState r : state) {
                if (!r.certificateResource()) {
                    assertNotNull(r.verifiedAt(), r.address() + ": checked\n" + rerun);
                    assertFalse(r.verificationOwed(), r.address() + ": checked after it was bound");
                }
            }
            assertEquals(List.of(), RolloutEndToEndTest.notServing(simulator, RolloutEndToEndTest.NEW, DOMAINS));
            CliRun plan = CliRun.run("plan", "-f", manifest.toString(), "--detailed-exitcode");
            assertEquals(0, plan.exitCode(), plan.toString());
        }
    }

    /**
     * The same kill between waves, with the new certificate under a new name (so no rename is needed): the rerun
     * must still attach the 29 domains the first wave did not reach, which the state records attached to the old
     * certificate's ssl_id but as live attachments of 'wild'.
     */
    @org.junit.jupiter.api.Test
    void sharedRolloutUnderANewName_killedBetweenWaves_rerunAttachesTheRest() throws Exception {
        try (Simulator simulator = ShopWorld.startServingTls(DOMAINS, 5, 3)) {
            Path manifest = manifest(simulator, RolloutEndToEndTest.OLD, "wild_cert");
            assertEquals(0, CliRun.run("apply", "-f", manifest.toString(), "--auto-approve").exitCode());
            manifest(simulator, RolloutEndToEndTest.NEW, "wild_cert_2027");
            CliRun.killedApply(manifest, "between-waves:1");
            CliRun rerun = CliRun.run("apply", "-f", manifest.toString(), "--auto-approve",
                    "--settle-window", "2s");
            assertEquals(0, rerun.exitCode(), rerun.toString());
            List<ResourceState> state = ShopWorld.resources(dir);
            ResourceState certificate = state.stream().filter(ResourceState::certificateResource).findFirst()
                    .orElseThrow();
            for (ResourceState r : state) {
                assertEquals(certificate.sslId(), r.sslId(), r.address() + " recorded on the new certificate");
            }
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(List.of(certificate.sslId()), d.attachedIds(), d.urlDomain());
            }
            assertEquals(1, simulator.world().managedCertificateCount(), "the old certificate was deleted");
        }
    }

    /** Guarantee 3 mid-rollout: destroy after a kill between waves removes both certificates and every attachment. */
    @org.junit.jupiter.api.Test
    void sharedRolloutKilledBetweenWaves_thenDestroy_removesBothCertificates() throws Exception {
        try (Simulator simulator = ShopWorld.startServingTls(DOMAINS, 5, 3)) {
            Path manifest = manifest(simulator, RolloutEndToEndTest.OLD);
            assertEquals(0, CliRun.run("apply", "-f", manifest.toString(), "--auto-approve").exitCode());
            manifest(simulator, RolloutEndToEndTest.NEW);
            CliRun.killedApply(manifest, "between-waves:1");
            assertEquals(2, simulator.world().managedCertificateCount(), "old and new exist mid-rollout");
            CliRun destroy = CliRun.run("destroy", "-f", manifest.toString(), "--auto-approve");
            assertEquals(0, destroy.exitCode(), destroy.toString());
            assertEquals(0, simulator.world().managedCertificateCount(), "both deleted\n" + destroy);
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(List.of(), d.attachedIds(), d.urlDomain());
            }
            assertEquals(List.of(), ShopWorld.resources(dir));
        }
    }
}
