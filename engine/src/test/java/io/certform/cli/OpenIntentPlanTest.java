package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.simulator.Faults;
import io.certform.simulator.OnExisting;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.World;
import io.certform.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An apply killed just after it journalled its intent leaves a domain whose certificate is unknown (here: bare, the
 * call never left). Until the next apply settles it, plan never says "No changes": it names the binding, its
 * domain and the call, says that the next apply settles it first, and {@code --detailed-exitcode} exits 2, in text,
 * JSON and markdown alike.
 */
class OpenIntentPlanTest {

    private static final TestCertificates.Issued CERT = TestCertificates.authority("Intent CA").issue("*.example.com");

    @TempDir
    Path dir;

    @Test
    void applyKilledAfterItsIntent_planSaysWhatIsUnknown_neverNoChanges_andExitsTwo() throws Exception {
        SimulatedRollout one = SimulatedRollout.ofGroupsOfFive(1);
        try (Simulator simulator = one.start(SimulatorOptions.defaults()
                .withSeed(3).withOnExisting(OnExisting.REPLACE).withFaults(Faults.none()))) {
            Path manifest = one.write(dir, simulator, CERT);
            CliRun.killedApply(manifest, "after-intent:1");
            assertTrue(Files.exists(dir.resolve("certform.state.json.journal")), "the intent is open");
            assertTrue(simulator.world().domains().stream().allMatch(World.DomainView::bare), "the domain is bare");

            CliRun text = CliRun.run("plan", "--detailed-exitcode", "-f", manifest.toString());
            assertEquals(2, text.exitCode(), text.toString());
            assertFalse(text.out().contains("No changes."), text.out());
            assertFalse(text.out().contains("carry the certificates the manifest declares"), text.out());
            assertTrue(text.out().contains("site[d0.example.com] (domain d0.example.com): unknown. A bind call"),
                    text.out());
            assertTrue(text.out().contains("The next apply settles it first"), text.out());

            CliRun json = CliRun.run("plan", "--json", "--detailed-exitcode", "-f", manifest.toString());
            assertEquals(2, json.exitCode(), json.toString());
            // the warning about the open intent comes first, as its own JSON document; the plan is the last line
            java.util.List<String> lines = json.out().lines().filter(l -> !l.isBlank()).toList();
            JsonNode plan = JsonMapper.builder().build().readTree(lines.get(lines.size() - 1));
            assertEquals(1, plan.get("unknown").size(), json.out());
            JsonNode unknown = plan.get("unknown").get(0);
            assertEquals("site[d0.example.com]", unknown.get("address").asString());
            assertEquals("d0.example.com", unknown.get("url_domain").asString());
            assertEquals("bind", unknown.get("call").asString());
            assertEquals("open_intent", unknown.get("reason").asString());
            SchemaConformanceTest.assertConformsToPlanSchema(plan);

            CliRun markdown = CliRun.run("plan", "--format", "markdown", "--detailed-exitcode", "-f",
                    manifest.toString());
            assertEquals(2, markdown.exitCode(), markdown.toString());
            assertFalse(markdown.out().contains("**No changes.**"), markdown.out());
            assertTrue(markdown.out().contains("Unknown until the next apply settles it"), markdown.out());
            assertTrue(markdown.out().contains("d0.example.com"), markdown.out());

            CliRun apply = SharedCrashPointEndToEndTest.rerun(manifest);
            assertEquals(0, apply.exitCode(), apply.toString());
            CliRun settled = CliRun.run("plan", "--detailed-exitcode", "-f", manifest.toString());
            assertEquals(0, settled.exitCode(), settled.toString());
            assertTrue(settled.out().contains("No changes."), settled.out());
        }
    }
}
