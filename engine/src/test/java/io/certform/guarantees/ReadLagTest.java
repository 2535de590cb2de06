package io.certform.guarantees;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.certform.cli.CliRun;
import io.certform.cli.SimulatedRollout;
import io.certform.simulator.Faults;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.testkit.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's reads lag its writes (the simulator's --read-lag). A read that does not yet show a write is not
 * "the certificate is not there": a binding certform saw bound within the settle window is not drift, and a call
 * whose answer was lost is looked for until the window passes, so nothing is created twice. (A lag longer than the
 * settle window is the one assumption docs/reliability.md names.)
 */
class ReadLagTest {

    private static final SimulatedRollout ROLLOUT = SimulatedRollout.ofGroupsOfFive(3);
    private static final TestCertificates.Issued CERT = TestCertificates.authority("Lag CA").issue("*.example.com");

    @TempDir
    Path dir;

    /** Apply succeeds, then plan and apply again at once, while reads still lag: no change, nothing twice. */
    @Test
    void successfulApply_thenApplyAgainWithinTheReadLag_createsNothingTwice() throws Exception {
        try (Simulator simulator = ROLLOUT.start(SimulatorOptions.defaults().withSeed(3)
                .withFaults(Faults.none().withReadLag(Duration.ofSeconds(5))))) {
            Path manifest = ROLLOUT.write(dir, simulator, CERT);
            CliRun first = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, first.exitCode(), first.toString());
            assertEquals(3, simulator.world().certificatesCreated());

            CliRun plan = CliRun.run("plan", "--detailed-exitcode", "-f", manifest.toString());
            assertEquals(0, plan.exitCode(), plan.toString());
            org.junit.jupiter.api.Assertions.assertTrue(plan.err().contains("the gateway does not show it yet"),
                    plan.toString());
            CliRun second = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(3, simulator.world().certificatesCreated(),
                    "nothing created twice; plan said:\n" + plan + "\nsecond apply said:\n" + second + "\n"
                            + Sims.perDomain(simulator));
        }
    }

    /**
     * Every add is answered by a closed connection and lands 200 ms later; reads lag 2 s, within the 6 s settle
     * window. The lost answers are settled by looking: each add is found and none is sent again, in this apply or
     * the next.
     */
    @Test
    void lateWritesBehindALaggingRead_areFoundWithinTheSettleWindow_andNeverSentAgain() throws Exception {
        try (Simulator simulator = ROLLOUT.start(SimulatorOptions.defaults().withSeed(5)
                .withFaults(Faults.none().withLateWrites(1.0, Duration.ofMillis(200))
                        .withReadLag(Duration.ofSeconds(2))))) {
            Path manifest = ROLLOUT.write(dir, simulator, CERT);
            CliRun first = CliRun.run("apply", "--auto-approve", "-f", manifest.toString(), "--read-timeout", "1s",
                    "--call-timeout", "2s", "--settle-window", "6s", "--max-retries", "2");
            assertEquals(0, first.exitCode(), first.toString());
            Sims.awaitNoPendingWrites(simulator);
            assertEquals(3, simulator.world().certificatesCreated(), "each add sent once");
            CliRun second = CliRun.run("apply", "--auto-approve", "-f", manifest.toString(), "--settle-window", "6s");
            assertEquals(0, second.exitCode(), second.toString());
            assertEquals(3, simulator.world().certificatesCreated(), "nothing sent again:\n" + second);
        }
    }
}
