package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.simulator.Faults;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.World;
import io.certform.state.State;
import io.certform.testkit.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A timeout is not a "no": against a server whose writes land after the client gave up, nothing is sent twice,
 * nothing is voided, and the next run settles what the last one could not.
 */
class UnknownOutcomeEndToEndTest {

    private static final int BINDINGS = 5;
    private static final TestCertificates.Issued WILDCARD = TestCertificates.authority("Slow CA").issue("*.example.com");

    @TempDir
    Path dir;

    private Simulator slowServer(Duration slowTime) throws Exception {
        return SimulatedRollout.ofGroupsOfFive(BINDINGS).start(SimulatorOptions.defaults().withSeed(7)
                .withFaults(Faults.none().withSlowWrites(1.0, slowTime)));
    }

    private Path manifest(Simulator simulator) throws Exception {
        return SimulatedRollout.ofGroupsOfFive(BINDINGS).write(dir, simulator, WILDCARD);
    }

    static void awaitNoPendingWrites(Simulator simulator) throws Exception {
        if (!simulator.awaitWritesLanded(java.time.Duration.ofSeconds(30))) {
            throw new AssertionError("the simulator's writes did not land");
        }
    }

    private static void assertOneCertificatePerDomain(Simulator simulator) {
        for (World.DomainView d : simulator.world().domains()) {
            assertEquals(1, d.certificatesBound(), d.domainId() + " carries " + d.certificatesBound() + " certificates");
        }
        assertEquals(BINDINGS, simulator.world().certificatesCreated(), "no duplicates");
    }

    @Test
    void writeLandingAfterTheClientGaveUp_isFound_andNeverSentAgain() throws Exception {
        try (Simulator simulator = slowServer(Duration.ofSeconds(3))) {
            Path manifest = manifest(simulator);
            CliRun apply = CliRun.run("apply", "--auto-approve", "-f", manifest.toString(),
                    "--read-timeout", "1s", "--call-timeout", "2s", "--max-retries", "2", "--settle-window", "20s");
            assertEquals(0, apply.exitCode(), apply.toString());
            assertTrue(apply.out().contains("the certificate was found bound, so it was not sent again"), apply.out());
            awaitNoPendingWrites(simulator);
            assertOneCertificatePerDomain(simulator);
            State state = ShopWorld.state(dir);
            assertEquals(BINDINGS, state.resources().size());
        }
    }

    @Test
    void effectNotSeenWithinTheWindow_staysUnknown_exit1_thenTheNextRunSettlesIt() throws Exception {
        try (Simulator simulator = slowServer(Duration.ofSeconds(4))) {
            Path manifest = manifest(simulator);
            CliRun apply = CliRun.run("apply", "--auto-approve", "-f", manifest.toString(),
                    "--read-timeout", "1s", "--call-timeout", "1s", "--max-retries", "2", "--settle-window", "1s");
            assertEquals(1, apply.exitCode(), apply.toString());
            assertTrue(apply.out().contains("outcome unknown"), apply.out());
            for (int i = 0; i < BINDINGS; i++) {
                assertTrue(apply.out().contains("site[d" + i + ".example.com]: outcome unknown"), apply.out());
            }
            awaitNoPendingWrites(simulator);
            assertEquals(BINDINGS, simulator.world().certificatesCreated(), "each was sent once, none again");

            CliRun again = CliRun.run("apply", "--auto-approve", "-f", manifest.toString(),
                    "--settle-window", "1s");
            assertEquals(0, again.exitCode(), again.toString());
            assertOneCertificatePerDomain(simulator);
            assertEquals(BINDINGS, ShopWorld.resources(dir)
                    .size());
            CliRun plan = CliRun.run("plan", "--detailed-exitcode", "-f", manifest.toString());
            assertEquals(0, plan.exitCode(), plan.toString());
        }
    }
}
