package io.certform.guarantees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.certform.cli.CliRun;
import io.certform.cli.ShopWorld;
import io.certform.cli.SimulatedRollout;
import io.certform.simulator.Faults;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.World;
import io.certform.state.State;
import io.certform.testkit.TestCertificates;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guarantee 2 attacked with a simulator that knows only project proj1 (every other project answers 404
 * APIG.3030) and a manifest pointing at proj2: refresh, plan, apply, destroy (with and without refresh) and the
 * recovery of an unfinished call must leave the state as it was.
 */
class WrongProjectTest {

    private static final int N = 3;
    private static final SimulatedRollout ROLLOUT = SimulatedRollout.ofGroupsOfFive(N);
    private static final TestCertificates.Issued CERT = TestCertificates.authority("Proj CA").issue("*.example.com");

    @TempDir
    Path dir;

    private State state() throws Exception {
        return ShopWorld.state(dir);
    }

    private Path manifest(Simulator simulator, String project) throws Exception {
        return ROLLOUT.write(dir, "endpoint: \"" + simulator.baseUrl() + "\", project_id: " + project, CERT, "");
    }

    @Test
    void everyCommandAgainstAnotherProject_changesNothing_andAnOpenCallSurvivesIt() throws Exception {
        try (Simulator simulator = ROLLOUT.start(SimulatorOptions.defaults().withProjects(Set.of("proj1"))
                .withFaults(Faults.none()))) {
            Path manifest = manifest(simulator, "proj1");
            // the third add lands, then the run dies before recording it: an open intent whose effect shows
            assertEquals(137, CliRun.crashed("after-send:3", "apply", "--auto-approve", "-f", manifest.toString(),
                    "--parallelism", "1").exitCode());
            manifest(simulator, "proj2");
            String f = manifest.toString();
            // recovery replays the two recorded results; the open call cannot be read, so it stays open
            CliRun first = CliRun.run("apply", "--auto-approve", "-f", f, "--settle-window", "1s");
            assertNotEquals(0, first.exitCode(), first.toString());
            State before = state();
            assertEquals(2, before.resources().size(), first.toString());
            assertEquals(true, java.nio.file.Files.exists(dir.resolve("certform.state.json.journal")),
                    "the open call is kept");
            for (String[] args : new String[][]{
                    {"apply", "--auto-approve", "-f", f, "--settle-window", "1s"},
                    {"refresh", "-f", f},
                    {"plan", "-f", f},
                    {"destroy", "--auto-approve", "-f", f, "--settle-window", "1s"},
                    {"destroy", "--auto-approve", "-refresh=false", "-f", f, "--settle-window", "1s"}}) {
                CliRun run = CliRun.run(args);
                assertNotEquals(0, run.exitCode(), String.join(" ", args) + "\n" + run);
                assertFalse(run.all().contains("Unknown option"), "refused for its own reason, not a usage error: "
                        + String.join(" ", args) + "\n" + run);
                assertEquals(before.resources(), state().resources(), String.join(" ", args) + " changed the state\n"
                        + run);
            }
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(d.domainId().equals("dom2") || before.resources().stream()
                        .anyMatch(r -> r.domainId().equals(d.domainId())), d.sslId() != null, d.toString());
            }

            manifest(simulator, "proj1");
            CliRun back = CliRun.run("apply", "--auto-approve", "-f", f, "--settle-window", "1s");
            assertEquals(0, back.exitCode(), back.toString());
            assertEquals(N, state().resources().size());
            assertEquals(N, simulator.world().certificatesCreated(), "the landed add was adopted, not sent again\n"
                    + back);
        }
    }
}
