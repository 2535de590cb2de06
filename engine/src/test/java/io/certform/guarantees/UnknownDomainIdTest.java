package io.certform.guarantees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.cli.CliRun;
import io.certform.cli.SimulatedRollout;
import io.certform.simulator.Faults;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A declared domain_id that its group does not carry is found by plan, which reads that group, with the place in
 * the manifest: nothing is planned, and apply sends nothing (it used to bind the other domains and fail half-way).
 */
class UnknownDomainIdTest {

    private static final SimulatedRollout ROLLOUT = SimulatedRollout.ofGroupsOfFive(3);
    private static final TestCertificates.Issued CERT = TestCertificates.authority("Id CA").issue("*.example.com");

    @TempDir
    Path dir;

    @Test
    void aDomainIdTheGroupDoesNotCarry_isAPlanErrorAtItsLine_andApplySendsNothing() throws Exception {
        try (Simulator simulator = ROLLOUT.start(SimulatorOptions.defaults().withFaults(Faults.none()))) {
            Path manifest = ROLLOUT.write(dir, simulator, CERT);
            // the third binding (line 12) names dom9; grp0 carries dom0, dom1 and dom2 (d2.example.com)
            Files.writeString(manifest, Files.readString(manifest).replace("domain_id: dom2", "domain_id: dom9"));
            String f = manifest.toString();

            CliRun plan = CliRun.run("plan", "-f", f, "--detailed-exitcode");
            assertEquals(1, plan.exitCode(), plan.toString());
            assertTrue(plan.err().contains("certform.yaml:12:"), "the manifest location\n" + plan);
            assertTrue(plan.err().contains("site[d2.example.com]: the domain dom9 does not exist in group grp0 of"
                    + " instance inst1"), plan.toString());
            assertTrue(plan.err().contains("The group carries d2.example.com as domain dom2"), plan.toString());
            assertFalse(plan.out().contains("to add"), "nothing is planned\n" + plan);

            CliRun apply = CliRun.run("apply", "--auto-approve", "-f", f);
            assertEquals(1, apply.exitCode(), apply.toString());
            assertTrue(apply.err().contains("the domain dom9 does not exist in group grp0"), apply.toString());
            assertEquals(0, simulator.world().certificatesCreated(), "nothing sent\n" + apply);
            assertEquals(0, Sims.adminState(simulator).path("counters").path("requests").path("POST").asInt(),
                    apply.toString());

            // corrected, the same manifest applies
            Files.writeString(manifest, Files.readString(manifest).replace("domain_id: dom9", "domain_id: dom2"));
            CliRun fixed = CliRun.run("apply", "--auto-approve", "-f", f);
            assertEquals(0, fixed.exitCode(), fixed.toString());
            assertEquals(3, simulator.world().certificatesCreated());
        }
    }
}
