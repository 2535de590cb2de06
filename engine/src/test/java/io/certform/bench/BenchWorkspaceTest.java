package io.certform.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.cli.CliRun;
import io.certform.simulator.World;
import io.certform.simulator.WorldFile;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The benchmark's generator at smoke size writes what the benchmark claims to measure: a manifest that
 * validates, a state that a plan finds 1% out of date (and so plans without calling the API), and a world with every
 * domain of the manifest.
 */
class BenchWorkspaceTest {

    @TempDir
    Path dir;

    @Test
    void smokeWorkspace_validatesAndPlansOnePercentUpdatesWithoutTheApi() throws Exception {
        Path manifest = BenchWorkspace.write(dir, new BenchWorkspace.Spec(200, 10, 2, "http://127.0.0.1:9", true, true));

        String[] validate = run("validate", "-f", manifest.toString());
        assertEquals("0", validate[0], validate[2]);
        assertTrue(validate[1].contains("20 certificates, 200 bindings"), validate[1]);

        // Port 9 has nothing listening: a plan that needed the API would fail.
        String[] plan = run("plan", "--refresh=false", "--json", "--detailed-exitcode", "-f", manifest.toString());
        assertEquals("2", plan[0], plan[2]);
        JsonNode changes = JsonMapper.builder().build().readTree(plan[1]).path("resource_changes");
        long updates = 0;
        long others = 0;
        for (JsonNode change : changes) {
            String actions = change.path("actions").toString();
            if (actions.equals("[\"update\"]")) {
                updates++;
            } else if (!actions.equals("[\"no-op\"]")) {
                others++;
            }
        }
        assertEquals(2, updates, plan[1]);
        assertEquals(0, others, plan[1]);

        World world = WorldFile.read(dir.resolve("world.json"));
        assertEquals(200, world.domains().size());
        assertEquals("dom199", world.domainIdByName("inst1", "g39", "d199.z1.example.com"));
    }

    private static String[] run(String... args) {
        CliRun run = CliRun.runner().env(Map.of("CERTFORM_AUTH_TOKEN", "bench")).run(args);
        return new String[] {Integer.toString(run.exitCode()), run.out(), run.err()};
    }
}
