package io.certform.guarantees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.cli.CliRun;
import io.certform.cli.ShopWorld;
import io.certform.cli.SimulatedRollout;
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
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guarantee 4 attacked where the existing harness does not go: the rerun killed while it settles the first run's
 * journal, and destroy killed at each step. Each must converge with one more plain run, with nothing created twice.
 */
class CrashDuringRecoveryAndDestroyTest {

    private static final int N = 6;
    private static final SimulatedRollout ROLLOUT = SimulatedRollout.ofGroupsOfFive(N);
    private static final TestCertificates.Issued CERT = TestCertificates.authority("Crash2 CA").issue("*.example.com");

    @TempDir
    Path dir;

    private Simulator simulator() throws Exception {
        return ROLLOUT.start(SimulatorOptions.defaults().withSeed(17).withOnExisting(OnExisting.REPLACE)
                .withFaults(Faults.none()));
    }

    private State state() throws Exception {
        return ShopWorld.state(dir);
    }

    private boolean journalExists() {
        return Files.exists(dir.resolve("certform.state.json.journal"));
    }

    @ParameterizedTest(name = "first run killed at {0}, rerun killed while settling at {1}")
    @CsvSource({"after-send:3, mid-state-write:1", "after-send:3, after-state-write:1",
            "after-send:3, mid-compaction:1", "after-intent:3, mid-compaction:1", "after-intent:3, after-state-write:1"})
    void rerunKilledWhileItSettles_thenPlainApply_converges(String first, String second) throws Exception {
        try (Simulator simulator = simulator()) {
            Path manifest = ROLLOUT.write(dir, simulator, CERT);
            CliRun one = CliRun.crashed(first, "apply", "--auto-approve", "-f", manifest.toString(), "--parallelism", "2");
            assertEquals(137, one.exitCode(), one.toString());
            CliRun two = CliRun.crashed(second, "apply", "--auto-approve", "-f", manifest.toString(), "--settle-window",
                    "2s");
            assertEquals(137, two.exitCode(), "the rerun reached " + second + "\n" + two);
            CliRun three = CliRun.run("apply", "--auto-approve", "-f", manifest.toString(), "--settle-window", "2s");
            assertEquals(0, three.exitCode(), three.toString());

            Map<String, World.DomainView> remote = new HashMap<>();
            simulator.world().domains().forEach(d -> remote.put(d.domainId(), d));
            State state = state();
            assertEquals(N, state.resources().size());
            for (ResourceState r : state.resources()) {
                assertEquals(remote.get(r.domainId()).sslId(), r.sslId(), r.address());
            }
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(1, d.certificatesBound(), d.domainId() + " created once\n" + three);
            }
            assertFalse(journalExists());
            assertEquals(0, CliRun.run("plan", "--detailed-exitcode", "-f", manifest.toString()).exitCode());
        }
    }

    @ParameterizedTest(name = "destroy killed at {0}")
    @ValueSource(strings = {"after-intent:1", "after-intent:4", "after-send:1", "after-send:4", "after-done:1",
            "after-done:4", "mid-compaction:1", "mid-state-write:1", "after-state-write:1"})
    void destroyKilledAtEveryStep_thenPlainDestroy_converges(String crashAt) throws Exception {
        try (Simulator simulator = simulator()) {
            Path manifest = ROLLOUT.write(dir, simulator, CERT);
            assertEquals(0, CliRun.run("apply", "--auto-approve", "-f", manifest.toString()).exitCode());
            CliRun killed = CliRun.crashed(crashAt, "destroy", "--auto-approve", "-f", manifest.toString(),
                    "--parallelism", "2");
            assertEquals(137, killed.exitCode(), killed.toString());
            CliRun again = CliRun.run("destroy", "--auto-approve", "-f", manifest.toString(), "--settle-window", "2s");
            assertEquals(0, again.exitCode(), again.toString());
            assertTrue(state().resources().isEmpty(), "the state is empty: " + state().resources());
            for (World.DomainView d : simulator.world().domains()) {
                assertNull(d.sslId(), d.domainId() + " still carries " + d.sslId() + "\n" + again);
            }
            assertFalse(journalExists());
            assertEquals(N, simulator.world().certificatesCreated());
        }
    }
}
