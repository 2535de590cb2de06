package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.cli.view.PrometheusText;
import io.certform.cli.view.PrometheusView;
import io.certform.simulator.Simulator;
import io.certform.state.ResourceState;
import io.certform.testing.GatewayWorld;
import io.certform.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code match:} selects domains at plan time, within a group or across an instance's groups. */
class DomainPatternEndToEndTest {

    private static final TestCertificates.Issued WILD = TestCertificates.authority("Pattern CA")
            .issue("*.shop.example.com", "*.eu.shop.example.com");

    @TempDir
    Path dir;

    private static GatewayWorld.Builder world() {
        return GatewayWorld.of(0).domain("grpA", "a1", "api.shop.example.com")
                .domain("grpA", "a2", "www.shop.example.com").domain("grpA", "a3", "other.example.org")
                .domain("grpB", "b1", "pay.shop.example.com").domain("grpB", "b2", "api.eu.shop.example.com")
                .domain("grpC", "c1", "unrelated.example.net");
    }

    private Path manifest(Simulator simulator, String... domains) throws Exception {
        return ShopWorld.manifest(simulator).domains(domains).write(dir, WILD);
    }

    private static Simulator start() throws Exception {
        return world().options(ShopWorld.options(3)).startSimulator();
    }

    private List<String> addresses() throws Exception {
        return ShopWorld.resources(dir).stream()
                .map(ResourceState::address).sorted().toList();
    }

    @Test
    void groupGainsAMatchingDomain_nextPlanAddsExactlyThatBinding() throws Exception {
        try (Simulator simulator = start()) {
            Path manifest = manifest(simulator, "{ group_id: grpA, match: \"*.shop.example.com\" }");
            CliRun plan = CliRun.run("plan", "-f", manifest.toString());
            assertEquals(0, plan.exitCode(), plan.toString());
            assertTrue(plan.out().contains("wild match \"*.shop.example.com\" in group grpA of instance inst1: 2 domains"),
                    plan.out());
            assertTrue(plan.out().contains("2 to add, 0 to change, 0 to destroy"), plan.out());
            assertTrue(plan.out().contains("wild (per-domain): 2 calls"), plan.out());
            CliRun apply = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, apply.exitCode(), apply.toString());
            assertEquals(List.of("wild[api.shop.example.com]", "wild[www.shop.example.com]"), addresses());
            CliRun same = CliRun.run("plan", "--detailed-exitcode", "-f", manifest.toString());
            assertEquals(0, same.exitCode(), same.toString());

            assertEquals(2, simulator.world().certificatesCreated(), "the plan said 2 calls: 2 were made");
            simulator.world().addDomain("inst1", "grpA", "a4", "new.shop.example.com");
            simulator.world().addDomain("inst1", "grpB", "b9", "elsewhere.shop.example.com"); // another group

            CliRun json = CliRun.run("plan", "--json", "-f", manifest.toString());
            assertEquals(0, json.exitCode(), json.toString());
            JsonNode root = JsonMapper.builder().build().readTree(json.out());
            SchemaConformanceTest.assertConformsToPlanSchema(root);
            assertEquals(1, root.path("certificate_calls").get(0).path("write_calls").asInt());
            JsonNode changes = root.path("resource_changes");
            List<String> changed = changes.valueStream()
                    .filter(c -> !c.path("actions").get(0).asString().equals("no-op"))
                    .map(c -> c.path("address").asString() + " " + c.path("actions").get(0).asString()).toList();
            assertEquals(List.of("wild[new.shop.example.com] create"), changed);
            assertEquals(List.of("api.shop.example.com", "new.shop.example.com", "www.shop.example.com"),
                    root.path("domain_patterns").get(0).path("selected").valueStream().map(JsonNode::asString)
                            .toList());
        }
    }

    @Test
    void instancePattern_listsTheInstanceGroups_andDeepPatternSpansLabels() throws Exception {
        try (Simulator simulator = start()) {
            Path manifest = manifest(simulator, "{ match: \"**.shop.example.com\" }");
            CliRun apply = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, apply.exitCode(), apply.toString());
            assertEquals(List.of("wild[api.eu.shop.example.com]", "wild[api.shop.example.com]",
                    "wild[pay.shop.example.com]", "wild[www.shop.example.com]"), addresses());
        }
    }

    @Test
    void patternSelectingNothing_warns_andOverlapWithANamedDomain_isAnError() throws Exception {
        try (Simulator simulator = start()) {
            Path empty = manifest(simulator, "{ group_id: grpC, match: \"*.shop.example.com\" }",
                    "{ group_id: grpA, domain: api.shop.example.com }");
            CliRun plan = CliRun.run("plan", "-f", empty.toString());
            assertEquals(0, plan.exitCode(), plan.toString());
            assertTrue(plan.err().contains("selects no domain in group grpC of instance inst1"), plan.toString());

            Path overlap = manifest(simulator, "{ group_id: grpA, match: \"*.shop.example.com\" }",
                    "{ group_id: grpA, domain: api.shop.example.com }");
            CliRun refused = CliRun.run("plan", "-f", overlap.toString());
            assertEquals(1, refused.exitCode(), refused.toString());
            assertTrue(refused.err().contains("name the same domain"), refused.toString());
            assertFalse(Files.exists(dir.resolve("certform.state.json")));
        }
    }

    @Test
    void embeddedWorld_knowsThePatternsScopes_soAPatternThereSelectsNothingRatherThanFailing() throws Exception {
        Files.writeString(dir.resolve("wild.crt"), WILD.chainPem());
        Files.writeString(dir.resolve("wild.key"), WILD.privateKeyPem());
        Path manifest = dir.resolve("certform.yaml");
        Files.writeString(manifest, """
                version: 1
                provider: { endpoint: embedded }
                certificates:
                  wild:
                    name: wild_cert
                    cert_content: ${file:wild.crt}
                    private_key: ${file:wild.key}
                    domains:
                      - { instance_id: inst9, match: "*.shop.example.com" }
                      - { instance_id: inst1, group_id: g1, match: "*.shop.example.com" }
                """);
        CliRun plan = CliRun.run(Map.of(), "", "plan", "-f", manifest.toString());
        assertEquals(0, plan.exitCode(), plan.toString());
        assertTrue(plan.err().contains("selects no domain in every group of instance inst9"), plan.toString());
        assertTrue(plan.err().contains("selects no domain in group g1 of instance inst1"), plan.toString());
    }

    @Test
    void import_adoptsADomainThePatternSelects() throws Exception {
        try (Simulator simulator = start()) {
            Path manifest = manifest(simulator, "{ group_id: grpA, match: \"*.shop.example.com\" }");
            String body = JsonMapper.builder().build().createObjectNode().put("name", "wild_cert")
                    .put("cert_content", WILD.chainPem()).put("private_key", WILD.privateKeyPem()).toString();
            java.net.http.HttpResponse<String> bound = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(simulator.baseUrl()
                                    + "/v2/proj1/apic/instances/inst1/api-groups/grpA/domains/a1/certificate"))
                            .header("X-Auth-Token", "tok").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                            .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(201, bound.statusCode(), bound.body());
            CliRun imported = CliRun.run("import", "-f", manifest.toString(), "wild[api.shop.example.com]");
            assertEquals(0, imported.exitCode(), imported.toString());
            assertEquals(List.of("wild[api.shop.example.com]"), addresses());
            CliRun notSelected = CliRun.run("import", "-f", manifest.toString(), "wild[pay.shop.example.com]");
            assertEquals(1, notSelected.exitCode(), "grpB is outside the pattern's group: " + notSelected);
        }
    }

    /**
     * certs --format prometheus for a certificate bound by patterns: one series per selected domain the state
     * records (in sync once applied), never one empty-domain series per pattern entry, which two entries would
     * repeat and node_exporter's textfile collector would refuse as a duplicate series.
     */
    @Test
    void prometheusMetrics_ofPatternBindings_areOnePerSelectedDomain_andNeverDuplicated() throws Exception {
        try (Simulator simulator = start()) {
            Path manifest = manifest(simulator, "{ group_id: grpA, match: \"*.shop.example.com\" }",
                    "{ group_id: grpB, match: \"pay.*.example.com\" }");
            CliRun before = CliRun.run("certs", "--format", "prometheus", "-f", manifest.toString());
            assertEquals(0, before.exitCode(), before.toString());
            assertNoDuplicateSeries(before.out());
            assertFalse(before.out().contains("domain=\"\""), before.out());

            assertEquals(0, CliRun.run("apply", "--auto-approve", "-f", manifest.toString()).exitCode());
            CliRun after = CliRun.run("certs", "--format", "prometheus", "-f", manifest.toString());
            assertEquals(0, after.exitCode(), after.toString());
            assertNoDuplicateSeries(after.out());
            Map<String, PrometheusText.Family> families = PrometheusText.parse(after.out());
            Map<String, Double> inSync = new java.util.TreeMap<>();
            for (PrometheusText.Sample s : families.get(PrometheusView.IN_SYNC).samples()) {
                inSync.put(s.labels().get("domain"), s.value());
            }
            assertEquals(Map.of("api.shop.example.com", 1.0, "www.shop.example.com", 1.0,
                    "pay.shop.example.com", 1.0), inSync, after.out());
            assertEquals(3, families.get(PrometheusView.NOT_AFTER).samples().size(), after.out());
        }
    }

    private static void assertNoDuplicateSeries(String text) {
        Set<String> seen = new java.util.HashSet<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                String series = line.substring(0, line.lastIndexOf(' '));
                assertTrue(seen.add(series), "duplicate series " + series + "\n" + text);
            }
        }
    }
}
