package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.simulator.Faults;
import io.certform.simulator.OnExisting;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.World;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine killed at each journal and state step of a real apply (a child JVM halted by CERTFORM_CRASH_AT), then
 * a plain {@code apply}: no unlock, no manual step, and every domain ends with exactly one certificate, the one the
 * state records. The rotation cases run in conflict mode, where an update is a journalled DELETE then a POST.
 */
class CrashPointEndToEndTest {

    private static final int BINDINGS = 10;
    private static final TestCertificates.Authority CA = TestCertificates.authority("Crash CA");
    private static final TestCertificates.Issued FIRST = CA.issue("*.example.com");
    private static final TestCertificates.Issued SECOND = CA.issue("*.example.com");

    @TempDir
    Path dir;

    private Simulator simulator(OnExisting onExisting) throws Exception {
        return SimulatedRollout.ofGroupsOfFive(BINDINGS).start(SimulatorOptions.defaults().withSeed(11)
                .withOnExisting(onExisting).withFaults(Faults.none()));
    }

    private Path manifest(Simulator simulator, TestCertificates.Issued certificate) throws Exception {
        return SimulatedRollout.ofGroupsOfFive(BINDINGS).write(dir, simulator, certificate);
    }

    /** Runs apply in a child JVM halted at {@code crashAt}; returns its exit code. */
    private static int crashedApply(Path manifest, String crashAt) throws Exception {
        return CliRun.crashed(crashAt, "apply", "--auto-approve", "-f", manifest.toString(), "--parallelism", "3")
                .exitCode();
    }

    private void assertConverged(Simulator simulator, TestCertificates.Issued expected) throws Exception {
        State state = ShopWorld.state(dir);
        assertEquals(BINDINGS, state.resources().size());
        Map<String, World.DomainView> remote = new HashMap<>();
        simulator.world().domains().forEach(d -> remote.put(d.domainId(), d));
        for (ResourceState r : state.resources()) {
            World.DomainView d = remote.get(r.domainId());
            assertEquals(d.sslId(), r.sslId(), r.address() + ": the state records what the domain carries");
            assertEquals(expected.serialHex(), d.serialNumber(), r.address() + ": the manifest's certificate");
        }
        CliRun plan = CliRun.run("plan", "--detailed-exitcode", "-f", dir.resolve("certform.yaml").toString());
        assertEquals(0, plan.exitCode(), plan.toString());
        assertFalse(Files.exists(dir.resolve("certform.state.json.journal")), "the journal is settled");
    }

    private static CliRun rerun(Path manifest) {
        // the rerun settles the killed run's unfinished call first; a short window keeps the test fast
        return CliRun.run("apply", "--auto-approve", "-f", manifest.toString(), "--settle-window", "2s");
    }

    @ParameterizedTest(name = "create, killed at {0}")
    @ValueSource(strings = {"after-intent:1", "after-intent:6", "after-send:1", "after-send:6", "after-done:1",
            "after-done:6", "mid-compaction:1", "mid-state-write:1", "after-state-write:1"})
    void create_killedAtEveryStep_thenPlainApply_converges_withoutDuplicates(String crashAt) throws Exception {
        try (Simulator simulator = simulator(OnExisting.REPLACE)) {
            Path manifest = manifest(simulator, FIRST);
            assertEquals(137, crashedApply(manifest, crashAt), "the crash point " + crashAt + " was reached");
            CliRun rerun = rerun(manifest);
            assertEquals(0, rerun.exitCode(), rerun.toString());
            assertConverged(simulator, FIRST);
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(1, d.certificatesBound(), d.domainId() + ": created once");
            }
            assertEquals(BINDINGS, simulator.world().certificatesCreated(), "no duplicates");
        }
    }

    @ParameterizedTest(name = "conflict-mode rotation, killed at {0}")
    @ValueSource(strings = {"after-intent:1", "after-send:1", "after-done:1", "after-intent:2", "after-send:2",
            "after-done:2", "mid-compaction:1"})
    void conflictModeRotation_killedBetweenItsDeleteAndPost_thenPlainApply_converges(String crashAt) throws Exception {
        try (Simulator simulator = simulator(OnExisting.CONFLICT)) {
            Path manifest = manifest(simulator, FIRST);
            assertEquals(0, CliRun.run("apply", "--auto-approve", "-f", manifest.toString()).exitCode());
            manifest(simulator, SECOND);
            // with --parallelism 3 and one domain per sequence, step N is the Nth journal record of that kind
            assertEquals(137, crashedApply(manifest, crashAt), "the crash point " + crashAt + " was reached");
            CliRun rerun = rerun(manifest);
            assertEquals(0, rerun.exitCode(), rerun.toString());
            assertConverged(simulator, SECOND);
            for (World.DomainView d : simulator.world().domains()) {
                assertTrue(d.certificatesBound() <= 2, d.domainId() + ": the rotation bound at most one more ("
                        + d.certificatesBound() + ")");
            }
            assertEquals(2L * BINDINGS, simulator.world().certificatesCreated(), "one rotation each, none twice");
        }
    }
}
