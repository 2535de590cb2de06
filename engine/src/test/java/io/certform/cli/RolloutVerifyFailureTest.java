package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.Sleeper;
import io.certform.simulator.Simulator;
import io.certform.simulator.TlsFaults;
import io.certform.simulator.World;
import io.certform.state.ResourceState;
import io.certform.testkit.TestCertificates;
import io.certform.verify.ExpectedLeaf;
import io.certform.verify.ProbeSettings;
import io.certform.verify.TlsProbe;
import io.certform.verify.Verification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout whose TLS check fails (guarantee 7): a new certificate issued by an intermediate, and one domain of wave
 * 2 serving a broken chain (the leaf alone). Shared and per-domain: a rollback leaves every domain serving the old
 * certificate, a tolerated failure is not recorded verified, and a run killed before or during its check or
 * rollback is finished by the next apply.
 */
class RolloutVerifyFailureTest {

    static final int DOMAINS = 20;
    static final TestCertificates.Authority CA = TestCertificates.authority("Rollout test root");
    static final TestCertificates.Authority INTERMEDIATE = CA.intermediate("Rollout test intermediate");
    static final TestCertificates.Issued OLD = CA.issue("*.shop.example.com");
    static final TestCertificates.Issued NEW = INTERMEDIATE.issue("*.shop.example.com");
    static final String BROKEN = "api11.shop.example.com"; // in wave 2 (address order: api0 | api1, api10..api13)

    @TempDir
    Path dir;

    static Simulator start() throws Exception {
        return ShopWorld.startServingTls(DOMAINS, 4, 1);
    }

    Path manifest(Simulator simulator, String mode, TestCertificates.Issued cert, String rollout) throws Exception {
        Files.writeString(dir.resolve("old.crt"), OLD.chainPem());
        Files.writeString(dir.resolve("old.key"), OLD.privateKeyPem());
        Files.writeString(dir.resolve("roots.pem"), CA.certificatePem());
        return ShopWorld.manifest(simulator).attachChunk(3)
                .rollout("waves: [1, \"25%\", \"100%\"]", "verify: tls", ShopWorld.tlsProbe(simulator), rollout)
                .mode(mode)
                .certificate("previous: { cert_content: \"${file:old.crt}\", private_key: \"${file:old.key}\" }")
                .material("site").write(dir, cert);
    }

    List<ResourceState> state() throws Exception {
        return ShopWorld.resources(dir);
    }

    static CliRun apply(Path manifest) {
        return CliRun.run("apply", "-f", manifest.toString(), "--auto-approve");
    }

    /** Every domain checked afresh against {@code cert} and the root: those that do not verify. */
    static List<String> notServing(Simulator simulator, TestCertificates.Issued cert) throws Exception {
        TlsProbe probe = new TlsProbe(new ProbeSettings(443, "127.0.0.1:" + simulator.tlsPort(),
                Duration.ofSeconds(2), Duration.ZERO), List.of(CA.certificate()), Clock.systemUTC(), Sleeper.SYSTEM);
        List<TlsProbe.Target> targets = new ArrayList<>();
        for (int i = 0; i < DOMAINS; i++) {
            targets.add(new TlsProbe.Target("api" + i + ".shop.example.com", ExpectedLeaf.of(cert.certificate())));
        }
        List<String> out = new ArrayList<>();
        for (Verification v : probe.verifyAll(targets, 4)) {
            if (!v.verified()) {
                out.add(v.domain() + " " + v.outcome());
            }
        }
        return out;
    }

    @Test
    void shared_brokenChainInWave2_stopsAndRollsBack_everyDomainServesTheOldOne() throws Exception {
        try (Simulator simulator = start()) {
            Path manifest = manifest(simulator, "shared", OLD, "on_failure: rollback");
            assertEquals(0, apply(manifest).exitCode());
            String oldId = state().stream().filter(ResourceState::certificateResource).findFirst().orElseThrow()
                    .sslId();
            simulator.tlsFaults(new TlsFaults(0, List.of(BROKEN)));
            manifest(simulator, "shared", NEW, "on_failure: rollback");
            CliRun rotate = apply(manifest);
            assertEquals(1, rotate.exitCode(), rotate.toString());
            assertTrue(rotate.out().contains("stopped: wave 2"), rotate.out());
            assertFalse(rotate.out().contains("Wave 3 of 3"), rotate.out());
            simulator.tlsFaults(TlsFaults.none());
            assertEquals(List.of(), notServing(simulator, OLD), "every domain serves the old certificate");
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(List.of(oldId), d.attachedIds(), d.urlDomain());
            }
            assertEquals(1, simulator.world().managedCertificateCount(), "the new one was deleted");
            assertTrue(state().stream().noneMatch(ResourceState::deposed));
            assertEquals(2, CliRun.run("plan", "-f", manifest.toString(), "--detailed-exitcode")
                    .exitCode(), "the rotation is planned again");
        }
    }

    @Test
    void perDomain_brokenChainInWave2_rollsBackToPrevious_everyDomainServesTheOldOne() throws Exception {
        try (Simulator simulator = start()) {
            Path manifest = manifest(simulator, "per-domain", OLD, "on_failure: rollback");
            assertEquals(0, apply(manifest).exitCode());
            simulator.tlsFaults(new TlsFaults(0, List.of(BROKEN)));
            manifest(simulator, "per-domain", NEW, "on_failure: rollback");
            CliRun rotate = apply(manifest);
            assertEquals(1, rotate.exitCode(), rotate.toString());
            assertTrue(rotate.out().contains("stopped: wave 2"), rotate.out());
            simulator.tlsFaults(TlsFaults.none());
            assertEquals(List.of(), notServing(simulator, OLD), "every domain serves the old certificate");
            for (ResourceState r : state()) {
                assertEquals(OLD.serialHex(), r.serialNumber(), r.address() + ": the state records what it serves");
            }
            assertEquals(2, CliRun.run("plan", "-f", manifest.toString(), "--detailed-exitcode")
                    .exitCode(), "the rotation is planned again");
        }
    }

    @Test
    void perDomain_oneToleratedFailure_rolloutGoesOn_butTheFailedDomainIsNotRecordedVerified() throws Exception {
        try (Simulator simulator = start()) {
            Path manifest = manifest(simulator, "per-domain", OLD, "max_failures: 1");
            assertEquals(0, apply(manifest).exitCode());
            simulator.tlsFaults(new TlsFaults(0, List.of(BROKEN)));
            manifest(simulator, "per-domain", NEW, "max_failures: 1");
            CliRun rotate = apply(manifest);
            assertTrue(rotate.out().contains("Wave 3 of 3"), "one failure is tolerated: " + rotate.out());
            for (ResourceState r : state()) {
                assertEquals(NEW.serialHex(), r.serialNumber(), r.address());
                if (r.urlDomain().equals(BROKEN)) {
                    assertTrue(r.verifiedAt() == null || r.verificationOwed(),
                            BROKEN + " served a broken chain: not recorded verified (" + r.verifiedAt() + ")");
                } else {
                    assertNotNull(r.verifiedAt(), r.address());
                    assertFalse(r.verificationOwed(), r.address());
                }
            }
            // the next run says so: the domain never verified is checked again, and fails again
            CliRun next = apply(manifest);
            assertTrue((next.out() + next.err()).contains(BROKEN), "the next run names the unverified domain: "
                    + next);
        }
    }

    @Test
    void perDomain_killedAfterTheLastWaveBeforeItsCheck_nextApplyChecksIt() throws Exception {
        try (Simulator simulator = start()) {
            Path manifest = manifest(simulator, "per-domain", OLD, "on_failure: stop");
            assertEquals(0, apply(manifest).exitCode());
            manifest(simulator, "per-domain", NEW, "on_failure: stop");
            CliRun.killedApply(manifest, "after-wave:3");
            CliRun rerun = apply(manifest);
            assertEquals(0, rerun.exitCode(), rerun.toString());
            assertTrue((rerun.out() + rerun.err()).contains("applied and never checked"),
                    "the next run says the last wave was never checked, and checks it: " + rerun);
            for (ResourceState r : state()) {
                assertEquals(NEW.serialHex(), r.serialNumber(), r.address());
                assertNotNull(r.verifiedAt(), r.address() + ": checked");
                assertFalse(r.verificationOwed(), r.address() + ": checked after it was bound");
            }
        }
    }

    /** A shared rollback (wave 2 fails) killed at its own calls; the next run, with the fault gone, finishes. */
    @org.junit.jupiter.params.ParameterizedTest(name = "shared rollback killed at {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"after-send:8", "after-send:10", "after-intent:12",
            "after-send:9"})
    void shared_rollbackKilled_nextApplyConverges_noDomainBare(String crashAt) throws Exception {
        try (Simulator simulator = start()) {
            Path manifest = manifest(simulator, "shared", OLD, "on_failure: rollback");
            assertEquals(0, apply(manifest).exitCode());
            List<String> bare = BareDomains.watch(simulator);
            simulator.tlsFaults(new TlsFaults(0, List.of(BROKEN)));
            manifest(simulator, "shared", NEW, "on_failure: rollback");
            CliRun.killedApply(manifest, crashAt);
            simulator.tlsFaults(TlsFaults.none());
            CliRun rerun = CliRun.run("apply", "-f", manifest.toString(), "--auto-approve",
                    "--settle-window", "2s");
            assertEquals(0, rerun.exitCode(), rerun.toString());
            assertEquals(List.of(), bare, "domains left without a certificate");
            assertEquals(List.of(), notServing(simulator, NEW), "every domain serves the new certificate");
            assertTrue(state().stream().noneMatch(ResourceState::deposed), rerun.toString());
            assertEquals(1, simulator.world().managedCertificateCount(), rerun.toString());
            assertEquals(0, CliRun.run("plan", "-f", manifest.toString(), "--detailed-exitcode")
                    .exitCode());
        }
    }
}
