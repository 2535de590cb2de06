package io.certform.guarantees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.cli.CliRun;
import io.certform.cli.SimulatedRollout;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an apply adopted is counted in its closing line as Terraform counts imports ("Resources: 3 adopted, 0
 * added, ..."), in the JSON summary event, and the one-line plan says an adoption once.
 */
class AdoptionCountedTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SimulatedRollout THREE = new SimulatedRollout(3, i -> "grp0", true);
    private static final TestCertificates.Issued CERT = TestCertificates.authority("Counted CA").issue("*.example.com");

    @TempDir
    Path dir;

    @Test
    void lostState_applyCountsTheAdoptedBindings_inTheSummaryAndTheJsonEvent() throws Exception {
        try (Simulator simulator = THREE.start(SimulatorOptions.defaults())) {
            Path manifest = THREE.write(dir, simulator, CERT);
            CliRun first = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, first.exitCode(), first.toString());
            assertTrue(first.out().contains("Apply complete! Resources: 3 added, 0 changed, 0 destroyed."),
                    "no adopted count when nothing was adopted\n" + first);
            Files.delete(dir.resolve("certform.state.json"));

            CliRun compact = CliRun.run("plan", "--compact", "-f", manifest.toString());
            assertEquals(0, compact.exitCode(), compact.toString());
            String line = compact.out().lines().filter(l -> l.contains("will be adopted")).findFirst().orElseThrow(
                    () -> new AssertionError("no adoption line:\n" + compact));
            assertEquals(line.indexOf("nothing is sent"), line.lastIndexOf("nothing is sent"),
                    "the line says once that nothing is sent: " + line);
            assertFalse(line.contains("(because"), "the verb already says why: " + line);

            CliRun json = CliRun.run("apply", "--auto-approve", "--json", "-f", manifest.toString());
            assertEquals(0, json.exitCode(), json.toString());
            JsonNode summary = json.out().lines().map(JSON::readTree)
                    .filter(e -> "summary".equals(e.path("type").asString())).findFirst().orElseThrow(
                            () -> new AssertionError("no summary event:\n" + json));
            assertEquals(3, summary.get("adopted").asInt(), summary.toString());
            assertEquals(0, summary.get("added").asInt(), summary.toString());
            assertEquals(3, simulator.world().certificatesCreated(), "nothing uploaded again\n" + json);

            Files.delete(dir.resolve("certform.state.json"));
            CliRun human = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, human.exitCode(), human.toString());
            assertTrue(human.out().contains("Apply complete! Resources: 3 adopted, 0 added, 0 changed, 0 destroyed."),
                    human.toString());
        }
    }
}
