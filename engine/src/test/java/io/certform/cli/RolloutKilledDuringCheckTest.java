package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.simulator.Simulator;
import io.certform.simulator.TlsFaults;
import io.certform.simulator.World;
import io.certform.state.ResourceState;
import io.certform.state.State;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A rollout killed in its second wave, after the wave was bound and before its TLS check was recorded (a child JVM
 * halted at {@code after-wave:2} or inside the check at {@code wave-check:2}). The next plan says the wave's check
 * is unknown and exits 2; the next apply finishes that check before anything else: when it fails, every wave of the
 * rollout is rolled back per {@code on_failure: rollback} and every domain carries the previous certificate again;
 * when it passes, the rollout goes on, and a later wave's failure still rolls back the waves the killed run bound.
 */
class RolloutKilledDuringCheckTest {

    static final int DOMAINS = 30; // waves [1, "10%", "100%"]: 1, 3, 26

    @TempDir
    Path dir;

    /** The rollout fixture of {@link RolloutEndToEndTest}, writing into this test's folder. */
    Path manifest(Simulator simulator, String mode, io.certform.testkit.TestCertificates.Issued cert)
            throws Exception {
        RolloutEndToEndTest fixture = new RolloutEndToEndTest();
        fixture.dir = dir;
        return fixture.manifest(simulator, mode, cert, "rollback");
    }

    State state() throws Exception {
        return ShopWorld.state(dir);
    }

    /** Every domain serves, carries and is recorded with the old certificate; no rollout is left in progress. */
    void assertRolledBack(Simulator simulator, String mode, String oldId, CliRun rerun) throws Exception {
        simulator.tlsFaults(TlsFaults.none());
        assertEquals(List.of(), RolloutEndToEndTest.notServing(simulator, RolloutEndToEndTest.OLD, DOMAINS),
                "every domain serves the previous certificate\n" + rerun);
        State state = state();
        assertNull(state.rollout(), "the rollout is over");
        if (mode.equals("shared")) {
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(List.of(oldId), d.attachedIds(), d.urlDomain());
            }
            assertTrue(state.resources().stream().noneMatch(ResourceState::deposed), state.resources().toString());
            assertEquals(1, simulator.world().managedCertificateCount(), "the new certificate was deleted");
        } else {
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(RolloutEndToEndTest.OLD.serialHex(), d.serialNumber(), d.urlDomain());
            }
            for (ResourceState r : state.resources()) {
                assertEquals(RolloutEndToEndTest.OLD.serialHex(), r.serialNumber(), r.address());
            }
        }
    }

    String oldId(String mode) throws Exception {
        return mode.equals("shared") ? state().resources().stream().filter(ResourceState::certificateResource)
                .findFirst().orElseThrow().sslId() : null;
    }

    @ParameterizedTest(name = "{0}, killed at {1}, the check fails on the resume")
    @CsvSource({"per-domain, after-wave:2", "per-domain, wave-check:2", "shared, after-wave:2",
            "shared, wave-check:2"})
    void killedBeforeTheWavesCheckWasRecorded_checkFailsOnResume_everyWaveRolledBack(String mode, String crashAt)
            throws Exception {
        try (Simulator simulator = ShopWorld.startServingTls(DOMAINS, 5, 5)) {
            Path manifest = manifest(simulator, mode, RolloutEndToEndTest.OLD);
            CliRun first = RolloutEndToEndTest.apply(manifest);
            assertEquals(0, first.exitCode(), first.toString());
            String oldId = oldId(mode);
            manifest(simulator, mode, RolloutEndToEndTest.NEW);
            CliRun.killedApply(manifest, crashAt);
            assertEquals(2, state().rollout().wave(), "the state records the wave in progress");
            SchemaConformanceTest.assertConformsToStateSchema(tools.jackson.databind.json.JsonMapper.builder()
                    .build().readTree(java.nio.file.Files.readString(dir.resolve("certform.state.json"))));

            CliRun plan = CliRun.run("plan", "--detailed-exitcode", "-f",
                    manifest.toString());
            assertEquals(2, plan.exitCode(), plan.toString());
            assertTrue(plan.out().contains("Rollout wave 2 was interrupted during its TLS check: 3 binding(s)"),
                    plan.out());

            simulator.tlsFaults(new TlsFaults(1.0, List.of())); // every domain keeps serving what it served before
            CliRun rerun = RolloutEndToEndTest.apply(manifest);
            assertEquals(1, rerun.exitCode(), rerun.toString());
            assertTrue(rerun.err().contains("wave 2 of the interrupted rollout had 3 failure(s)"), rerun.toString());
            assertTrue(rerun.err().contains("rolled back"), rerun.toString());
            assertRolledBack(simulator, mode, oldId, rerun);
        }
    }

    /** A seed under which the first four domains (waves 1 and 2) serve what they should and a later one does not. */
    static long seedStalingOnlyAfterTheSecondWave(double rate) {
        List<String> order = RolloutEndToEndTest.inWaveOrder(DOMAINS);
        TlsFaults faults = new TlsFaults(rate, List.of());
        for (long seed = 1; seed < 10_000; seed++) {
            final long s = seed;
            if (order.subList(0, 4).stream().noneMatch(n -> faults.stale(n, s))
                    && order.subList(4, DOMAINS).stream().anyMatch(n -> faults.stale(n, s))) {
                return seed;
            }
        }
        throw new AssertionError("no seed");
    }

    @ParameterizedTest(name = "{0}, killed at {1}, the check passes on the resume")
    @CsvSource({"per-domain, wave-check:2", "shared, wave-check:2"})
    void killedDuringTheWavesCheck_checkPassesOnResume_rolloutGoesOn_andALaterFailureRollsBackEveryWave(
            String mode, String crashAt) throws Exception {
        try (Simulator simulator = RolloutEndToEndTest.start(DOMAINS, seedStalingOnlyAfterTheSecondWave(0.2))) {
            Path manifest = manifest(simulator, mode, RolloutEndToEndTest.OLD);
            CliRun first = RolloutEndToEndTest.apply(manifest);
            assertEquals(0, first.exitCode(), first.toString());
            String oldId = oldId(mode);
            manifest(simulator, mode, RolloutEndToEndTest.NEW);
            CliRun.killedApply(manifest, crashAt);

            simulator.tlsFaults(new TlsFaults(0.2, List.of())); // waves 1 and 2 are clean, a later domain is stale
            CliRun rerun = RolloutEndToEndTest.apply(manifest);
            String all = rerun.out() + rerun.err();
            assertTrue(all.contains("Rollout wave 2 was interrupted before its check was done: 3 binding(s)"), all);
            assertTrue(all.contains("Wave 1 of"), "the rollout went on after the check passed: " + all);
            assertEquals(1, rerun.exitCode(), rerun.toString());
            assertTrue(rerun.err().contains("the waves done were rolled back"), rerun.toString());
            assertRolledBack(simulator, mode, oldId, rerun);
        }
    }
}
