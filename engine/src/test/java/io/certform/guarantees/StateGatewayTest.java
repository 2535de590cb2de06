package io.certform.guarantees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.cli.CliRun;
import io.certform.cli.ShopWorld;
import io.certform.cli.SimulatedRollout;
import io.certform.simulator.Faults;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.state.Gateway;
import io.certform.state.State;
import io.certform.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The state records the gateway it describes (service, endpoint, project; each binding its instance), and is used
 * against no other: a manifest pointed at another project or endpoint is refused with both named, before anything
 * is read or sent. A state written before the gateway was recorded still works, and gains it on its next write.
 */
class StateGatewayTest {

    private static final SimulatedRollout ROLLOUT = SimulatedRollout.ofGroupsOfFive(3);
    private static final TestCertificates.Issued CERT = TestCertificates.authority("Gw CA").issue("*.example.com");
    private static final TestCertificates.Issued RENEWED = CERT.issuer().issue("*.example.com");

    @TempDir
    Path dir;

    private State state() throws Exception {
        return ShopWorld.state(dir);
    }

    private Path manifest(Simulator simulator, String project, TestCertificates.Issued cert) throws Exception {
        return ROLLOUT.write(dir, "endpoint: \"" + simulator.baseUrl() + "\", project_id: " + project, cert, "");
    }

    @Test
    void aStateUsedAgainstAnotherProjectOrEndpoint_isRefusedWithBothNamed_andNothingIsSent() throws Exception {
        try (Simulator first = ROLLOUT.start(SimulatorOptions.defaults().withFaults(Faults.none())
                .withProjects(Set.of("proj1", "proj2")));
             Simulator other = ROLLOUT.start(SimulatorOptions.defaults().withFaults(Faults.none()))) {
            String f = manifest(first, "proj1", CERT).toString();
            CliRun apply = CliRun.run("apply", "--auto-approve", "-f", f);
            assertEquals(0, apply.exitCode(), apply.toString());
            State applied = state();
            assertEquals(new Gateway("roma", first.baseUrl(), "proj1"), applied.gateway());

            String recorded = "it records roma at " + first.baseUrl() + ", project proj1";
            manifest(first, "proj2", CERT);
            for (String[] args : new String[][]{{"plan", "-f", f}, {"apply", "--auto-approve", "-f", f},
                    {"refresh", "-f", f}, {"destroy", "--auto-approve", "-f", f}}) {
                CliRun run = CliRun.run(args);
                assertEquals(1, run.exitCode(), String.join(" ", args) + "\n" + run);
                assertTrue(run.err().contains("describes another gateway: " + recorded + ", and the manifest names roma"
                        + " at " + first.baseUrl() + ", project proj2"), String.join(" ", args) + "\n" + run);
                assertFalse(run.all().contains("Bind the domain to the group again"), run.toString());
            }
            manifest(other, "proj1", CERT);
            CliRun elsewhere = CliRun.run("apply", "--auto-approve", "-f", f);
            assertEquals(1, elsewhere.exitCode(), elsewhere.toString());
            assertTrue(elsewhere.err().contains(recorded + ", and the manifest names roma at " + other.baseUrl()
                    + ", project proj1"), elsewhere.toString());
            assertEquals(0, Sims.adminState(other).path("counters").path("requests").path("GET").asInt()
                    + Sims.adminState(other).path("counters").path("requests").path("POST").asInt(),
                    "nothing read or sent at the other endpoint");
            assertEquals(applied, state(), "the state is unchanged");
            assertEquals(3, first.world().certificatesCreated());
        }
    }

    @Test
    void aStateWithoutItsGateway_stillWorks_andRecordsItOnItsNextWrite() throws Exception {
        try (Simulator simulator = ROLLOUT.start(SimulatorOptions.defaults().withFaults(Faults.none()))) {
            String f = manifest(simulator, "proj1", CERT).toString();
            assertEquals(0, CliRun.run("apply", "--auto-approve", "-f", f).exitCode());
            Path file = dir.resolve("certform.state.json");
            JsonMapper json = JsonMapper.builder().build();
            ObjectNode old = (ObjectNode) json.readTree(Files.readString(file));
            old.remove("gateways"); // as an earlier certform wrote it
            Files.writeString(file, json.writeValueAsString(old));
            assertNull(state().gateway());

            CliRun plan = CliRun.run("plan", "-f", f, "--detailed-exitcode");
            assertEquals(0, plan.exitCode(), plan.toString());
            assertNull(state().gateway(), "plan writes nothing");
            manifest(simulator, "proj1", RENEWED);
            CliRun renew = CliRun.run("apply", "--auto-approve", "-f", f);
            assertEquals(0, renew.exitCode(), renew.toString());
            assertEquals(new Gateway("roma", simulator.baseUrl(), "proj1"), state().gateway());
        }
    }

    @Test
    void stateListAndShow_onAMissingState_sayThereIsNone_andExit1() throws Exception {
        try (Simulator simulator = ROLLOUT.start(SimulatorOptions.defaults().withFaults(Faults.none()))) {
            String f = manifest(simulator, "proj1", CERT).toString();
            for (String[] args : new String[][]{{"state", "list", "-f", f},
                    {"state", "show", "site[d0.example.com]", "-f", f}}) {
                CliRun run = CliRun.run(args);
                assertEquals(1, run.exitCode(), String.join(" ", args) + "\n" + run);
                assertTrue(run.err().contains("no state at " + dir.resolve("certform.state.json")
                        + ": nothing has been applied there yet"), run.toString());
            }
            assertFalse(Files.exists(dir.resolve("certform.state.json")));
        }
    }
}
