package io.certform.guarantees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.cli.CliRun;
import io.certform.cli.SimulatedRollout;
import io.certform.simulator.Faults;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.state.local.LocalStateStore;
import io.certform.state.State;
import io.certform.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An API group that answers 404 {@code APIG.3001} (deleted, or a wrong group id) says nothing about its domains:
 * only "the group was read and the domain is not in it" means a domain is gone. Refresh, plan, apply, destroy and
 * the recovery of an unfinished call keep every binding of that group in the state, and say which group of which
 * instance at which endpoint and project could not be found.
 */
class GroupGoneTest {

    /** Six domains: dom0..dom4 in grp0, dom5 in grp1. */
    private static final SimulatedRollout SIX = SimulatedRollout.ofGroupsOfFive(6);
    private static final TestCertificates.Issued CERT = TestCertificates.authority("Group CA").issue("*.example.com");

    @TempDir
    Path dir;

    private State state() throws Exception {
        return new LocalStateStore(dir.resolve("certform.state.json"), "t").read();
    }

    private static void assertNamesTheGroup(CliRun run, Simulator simulator, String what) {
        String all = run.all();
        assertTrue(all.contains("the API group grp1 does not exist in instance inst1 at " + simulator.baseUrl()
                + ", project proj1"), what + " must name the group, instance, endpoint and project\n" + run);
    }

    @Test
    void refreshPlanApplyAndDestroy_againstADeletedGroup_keepItsBindings_andNameTheGroup() throws Exception {
        try (Simulator simulator = SIX.start(SimulatorOptions.defaults().withFaults(Faults.none()))) {
            String f = SIX.write(dir, simulator, CERT).toString();
            CliRun apply = CliRun.run("apply", "--auto-approve", "-f", f);
            assertEquals(0, apply.exitCode(), apply.toString());
            State before = state();
            assertEquals(6, before.resources().size());

            simulator.world().removeGroup("inst1", "grp1");
            long deletes = simulator.requests("DELETE");
            long posts = simulator.requests("POST");
            for (String[] args : new String[][]{
                    {"refresh", "-f", f},
                    {"plan", "-f", f},
                    {"plan", "--detailed-exitcode", "-f", f},
                    {"apply", "--auto-approve", "-f", f},
                    {"destroy", "--auto-approve", "-f", f}}) {
                String what = String.join(" ", args);
                CliRun run = CliRun.run(args);
                assertEquals(1, run.exitCode(), what + "\n" + run);
                assertNamesTheGroup(run, simulator, what);
                assertEquals(before.resources(), state().resources(), what + " changed the state: a group that"
                        + " answers 404 was read as its domains being gone\n" + run);
            }
            assertEquals(deletes, simulator.requests("DELETE"), "nothing was removed");
            assertEquals(posts, simulator.requests("POST"), "nothing was bound");
        }
    }

    @Test
    void destroyWithoutRefresh_whoseRemovalIsAnsweredGroupNotFound_keepsTheBinding_andSaysWhy() throws Exception {
        try (Simulator simulator = SIX.start(SimulatorOptions.defaults().withFaults(Faults.none()))) {
            String f = SIX.write(dir, simulator, CERT).toString();
            CliRun apply = CliRun.run("apply", "--auto-approve", "-f", f);
            assertEquals(0, apply.exitCode(), apply.toString());
            State before = state();
            String grp1 = before.resources().stream().filter(r -> r.groupId().equals("grp1")).findFirst()
                    .orElseThrow().address();

            simulator.world().removeGroup("inst1", "grp1");
            CliRun destroy = CliRun.run("destroy", "--auto-approve", "--refresh=false", "-f", f);
            assertEquals(java.util.List.of(grp1), state().resources().stream().map(r -> r.address()).toList(),
                    "a removal answered \"group not found\" was counted as done\n" + destroy);
            assertEquals(1, destroy.exitCode(), destroy.toString());
            assertTrue(destroy.all().contains("APIG.3001"), "the run says why\n" + destroy);
            assertTrue(destroy.all().contains(grp1), "the run names the binding\n" + destroy);
            assertTrue(simulator.world().domains().stream().allMatch(d -> d.sslId() == null), "the other five were"
                    + " removed");
        }
    }

    @Test
    void openBindWhoseGroupAnswers404_staysOpen_andTheStateKeepsWhatItHad() throws Exception {
        SimulatedRollout one = new SimulatedRollout(1, i -> "grp1", true);
        try (Simulator simulator = one.start(SimulatorOptions.defaults().withFaults(Faults.none()))) {
            String f = one.write(dir, simulator, CERT).toString();
            // the add lands, then the run dies before recording it: an open intent whose effect shows
            CliRun killed = CliRun.crashed("after-send:1", "apply", "--auto-approve", "-f", f);
            assertEquals(137, killed.exitCode(), killed.toString());
            Path journal = dir.resolve("certform.state.json.journal");
            String open = Files.readString(journal);
            State before = state();

            simulator.world().removeGroup("inst1", "grp1");
            for (String[] args : new String[][]{
                    {"apply", "--auto-approve", "-f", f, "--settle-window", "1s"},
                    {"refresh", "-f", f}}) {
                String what = String.join(" ", args);
                CliRun run = CliRun.run(args);
                assertEquals(1, run.exitCode(), what + "\n" + run);
                assertTrue(Files.exists(journal), what + " settled the open bind though its group could not be"
                        + " read\n" + run);
                assertEquals(open, Files.readString(journal), what + " changed the open call\n" + run);
                assertEquals(before.resources(), state().resources(), what + " changed the state\n" + run);
                assertNamesTheGroup(run, simulator, what);
            }
        }
    }

    @Test
    void openRemovalWhoseGroupAnswers404_staysOpen_andTheBindingStays() throws Exception {
        SimulatedRollout one = new SimulatedRollout(1, i -> "grp1", true);
        try (Simulator simulator = one.start(SimulatorOptions.defaults().withFaults(Faults.none()))) {
            String f = one.write(dir, simulator, CERT).toString();
            CliRun apply = CliRun.run("apply", "--auto-approve", "-f", f);
            assertEquals(0, apply.exitCode(), apply.toString());
            // the removal is journalled, then the run dies before sending it: the certificate is still bound
            CliRun killed = CliRun.crashed("after-intent:1", "destroy", "--auto-approve", "-f", f);
            assertEquals(137, killed.exitCode(), killed.toString());
            Path journal = dir.resolve("certform.state.json.journal");
            String open = Files.readString(journal);
            State before = state();
            assertEquals(1, before.resources().size());

            simulator.world().removeGroup("inst1", "grp1");
            CliRun run = CliRun.run("apply", "--auto-approve", "-f", f, "--settle-window", "1s");
            assertEquals(1, run.exitCode(), run.toString());
            assertEquals(before.resources(), state().resources(), "the open removal was taken as done though its"
                    + " group could not be read\n" + run);
            assertEquals(open, Files.readString(journal), "the open removal stays open\n" + run);
            assertNamesTheGroup(run, simulator, "apply");
        }
    }
}
