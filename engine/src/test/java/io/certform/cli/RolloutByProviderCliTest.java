package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.testing.GatewayFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code rollout: { by: provider }} on a three-provider fleet: one wave per provider, in the order given. */
class RolloutByProviderCliTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private static GatewayFleet fleet() throws java.io.IOException {
        return GatewayFleet.builder()
                .provider("staging", p -> p.domains(3))
                .provider("eu", p -> p.domains(4))
                .provider("us", p -> p.domains(5))
                .start();
    }

    private static Path withRollout(Path manifest, String... lines) throws Exception {
        Files.writeString(manifest, Files.readString(manifest) + "rollout:\n  " + String.join("\n  ", lines) + "\n");
        return manifest;
    }

    /** The {@code wave} events of an apply's {@code --json}, as "provider:changes". */
    private static List<String> waves(String out) {
        List<String> waves = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode event = JSON.readTree(line);
            if ("wave".equals(event.path("type").asString())) {
                waves.add(event.path("provider").asString() + ":" + event.path("changes").asInt());
            }
        }
        return waves;
    }

    @Test
    void wavesGoOutInTheOrderGiven_theOthersAfterInDeclaredOrder() throws Exception {
        try (GatewayFleet fleet = fleet()) {
            Path manifest = withRollout(fleet.write(dir, fleet.certificate()), "by: provider", "order: [us]");
            CliRun plan = CliRun.runner().env(fleet.env()).run("plan", "-f", manifest.toString());
            assertEquals(0, plan.exitCode(), plan.toString());
            assertTrue(plan.out().contains("Rollout: 3 waves: 5, 3, 4 bindings by provider (us, staging, eu)"),
                    plan.out());
            assertTrue(plan.out().contains("  wave 1 (provider us): provider.us.site["), plan.out());

            CliRun apply = CliRun.runner().env(fleet.env())
                    .run("apply", "--auto-approve", "--json", "-f", manifest.toString());
            assertEquals(0, apply.exitCode(), apply.toString());
            assertEquals(List.of("us:5", "staging:3", "eu:4"), waves(apply.out()), apply.out());
            assertTrue(apply.out().contains("\"type\":\"wave_done\",\"wave\":3,\"provider\":\"eu\""), apply.out());
        }
    }

    @Test
    void aFailedProvidersWave_stopsTheLaterProvidersWaves() throws Exception {
        try (GatewayFleet fleet = fleet()) {
            Path manifest = withRollout(fleet.write(dir, fleet.certificate()), "by: provider",
                    "order: [eu, staging, us]", "max_failures: 0");
            String saved = dir.resolve("fleet.plan").toString();
            CliRun planned = CliRun.runner().env(fleet.env()).run("plan", "-out", saved, "-f", manifest.toString());
            assertEquals(0, planned.exitCode(), planned.toString());
            fleet.simulator("staging").failAuthenticationUntilRestored(); // staging refuses every call

            CliRun apply = CliRun.runner().env(fleet.env()).run("apply", "--json", saved);
            assertEquals(1, apply.exitCode(), apply.toString());
            assertEquals(List.of("eu:4", "staging:3"), waves(apply.out()), "us's wave never starts: " + apply.out());
            assertTrue(fleet.world("us").domains().stream().allMatch(d -> d.bare()), "no call reached us");
            assertTrue(fleet.world("eu").domains().stream().noneMatch(d -> d.bare()), "eu's wave was applied");

            fleet.simulator("staging").restoreAuthentication();
            CliRun rest = CliRun.runner().env(fleet.env()).run("plan", "-f", manifest.toString());
            assertTrue(rest.out().contains("Rollout: 2 waves: 3, 5 bindings by provider (staging, us)"), rest.out());
        }
    }
}
