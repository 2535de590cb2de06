package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.testing.GatewayFleet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The plan of a fleet: every provider read through its own session, its changes grouped and named per provider. */
class FleetPlanCliTest {

    @TempDir
    Path dir;

    private static GatewayFleet threeProviders() throws Exception {
        return GatewayFleet.builder()
                .provider("staging", p -> p.region("cn-north-4").domains(2))
                .provider("eu", p -> p.region("eu-west-101").domains(2).instance("inst-eu")
                        .credentials(GatewayFleet.Credentials.AKSK))
                .provider("us", p -> p.domains(3))
                .start();
    }

    private static CliRun plan(GatewayFleet fleet, Path manifest, String... args) {
        List<String> all = new ArrayList<>(List.of("plan", "-f", manifest.toString()));
        all.addAll(List.of(args));
        return CliRun.runner().env(fleet.env()).run(all.toArray(String[]::new));
    }

    @Test
    void threeProviders_planned_asOne_groupedPerProvider_withASummaryEach() throws Exception {
        try (GatewayFleet fleet = threeProviders()) {
            Path manifest = fleet.write(dir, fleet.certificate());
            CliRun text = plan(fleet, manifest);
            assertEquals(0, text.exitCode(), text.toString());
            String out = text.out();
            int staging = out.indexOf("\nprovider.staging:\n");
            int eu = out.indexOf("\nprovider.eu:\n");
            int us = out.indexOf("\nprovider.us:\n");
            assertTrue(eu > 0 && staging > eu && us > staging, "a heading per provider, by name: " + out);
            assertTrue(out.indexOf("provider.eu.site[d1.eu.example.com]") > eu
                    && out.indexOf("provider.eu.site[d1.eu.example.com]") < staging, out);
            assertTrue(out.contains("Plan: 7 to add, 0 to change, 0 to destroy.\n"
                    + "  provider.eu: 2 to add, 0 to change, 0 to destroy.\n"
                    + "  provider.staging: 2 to add, 0 to change, 0 to destroy.\n"
                    + "  provider.us: 3 to add, 0 to change, 0 to destroy.\n"), out);
            for (String name : List.of("staging", "eu", "us")) {
                assertTrue(fleet.simulator(name).requests("GET") > 0, name + " was read through its own endpoint");
            }

            CliRun json = plan(fleet, manifest, "--json");
            assertEquals(0, json.exitCode(), json.toString());
            JsonNode root = JsonMapper.builder().build().readTree(json.out());
            Map<String, Integer> perProvider = new TreeMap<>();
            for (JsonNode change : root.get("resource_changes")) {
                String provider = change.get("provider").asString();
                perProvider.merge(provider, 1, Integer::sum);
                assertTrue(change.get("address").asString().startsWith("provider." + provider + ".site["),
                        change.toString());
            }
            assertEquals(Map.of("eu", 2, "staging", 2, "us", 3), perProvider);

            CliRun markdown = plan(fleet, manifest, "--format", "markdown");
            assertEquals(0, markdown.exitCode(), markdown.toString());
            String md = markdown.out();
            assertTrue(md.contains("- provider.eu: 2 to add, 0 to change, 0 to destroy.\n"), md);
            int euTable = md.indexOf("\n**provider.eu**\n\n| | Address |");
            int usTable = md.indexOf("\n**provider.us**\n\n| | Address |");
            assertTrue(euTable > 0 && usTable > euTable, md);
        }
    }

    @Test
    void targets_selectAProvider() throws Exception {
        try (GatewayFleet fleet = threeProviders()) {
            Path manifest = fleet.write(dir, fleet.certificate());
            CliRun one = plan(fleet, manifest, "--target", "provider.us", "--json");
            assertEquals(0, one.exitCode(), one.toString());
            String planLine = one.out().lines().filter(l -> l.contains("\"resource_changes\"")).findFirst()
                    .orElseThrow(); // the targeting warning comes first, as its own JSON document
            JsonNode changes = JsonMapper.builder().build().readTree(planLine).get("resource_changes");
            assertEquals(3, changes.size());
            changes.forEach(c -> assertEquals("us", c.get("provider").asString()));

            CliRun excluded = plan(fleet, manifest, "--exclude", "provider.us", "--exclude",
                    "provider.eu.site[d0.eu.example.com]");
            assertEquals(0, excluded.exitCode(), excluded.toString());
            assertTrue(excluded.out().contains("Plan: 3 to add, 0 to change, 0 to destroy.\n"
                    + "  provider.eu: 1 to add, 0 to change, 0 to destroy.\n"
                    + "  provider.staging: 2 to add, 0 to change, 0 to destroy.\n"), excluded.out());

            CliRun bad = plan(fleet, manifest, "--target", "provider.EU");
            assertEquals(1, bad.exitCode(), bad.toString());
            assertTrue(bad.err().contains("'provider.EU' is not a resource address"), bad.err());
            assertTrue(bad.err().contains("provider.P (every binding of P), provider.P.KEY or"
                    + " provider.P.KEY[DOMAIN]"), bad.err());
        }
    }

    @Test
    void aSavedPlan_carriesEachChangesProvider_andRefusesOneThatDisagreesWithItsAddress() throws Exception {
        try (GatewayFleet fleet = threeProviders()) {
            Path manifest = fleet.write(dir, fleet.certificate());
            Path saved = dir.resolve("fleet.plan");
            CliRun made = plan(fleet, manifest, "-out", saved.toString());
            assertEquals(0, made.exitCode(), made.toString());
            String file = java.nio.file.Files.readString(saved);
            assertTrue(file.contains("\"provider\" : \"eu\""), file);

            CliRun shown = CliRun.runner().env(fleet.env()).run("show", "--json", saved.toString());
            assertEquals(0, shown.exitCode(), shown.toString());
            JsonNode changes = JsonMapper.builder().build().readTree(shown.out()).get("resource_changes");
            changes.forEach(c -> assertTrue(c.get("address").asString().startsWith(
                    "provider." + c.get("provider").asString() + "."), c.toString()));

            java.nio.file.Files.writeString(saved, file.replaceFirst("\"provider\" : \"eu\"",
                    "\"provider\" : \"us\""));
            CliRun edited = CliRun.runner().env(fleet.env()).run("show", saved.toString());
            assertEquals(1, edited.exitCode(), edited.toString());
            assertTrue(edited.err().contains("names provider 'us', but its address is provider 'eu''s; the file was"
                    + " edited"), edited.err());
        }
    }

    @Test
    void anUnreachableProvider_isItsErrorNamed_theOthersReadToTheEnd() throws Exception {
        try (GatewayFleet fleet = threeProviders()) {
            Path manifest = fleet.write(dir, fleet.certificate());
            fleet.simulator("us").close();
            CliRun run = plan(fleet, manifest);
            assertEquals(1, run.exitCode(), run.toString());
            assertTrue(run.err().contains("provider.us: "), run.err());
            assertFalse(run.err().contains("provider.eu:") || run.err().contains("provider.staging:"), run.err());
            assertFalse(run.out().contains("Plan:"), "errors only: " + run.out());
            assertTrue(fleet.simulator("eu").requests("GET") > 0 && fleet.simulator("staging").requests("GET") > 0,
                    "the other providers were read");
        }
    }
}
