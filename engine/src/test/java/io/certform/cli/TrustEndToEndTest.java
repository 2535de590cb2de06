package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.state.State;
import io.certform.testing.GatewayWorld;
import io.certform.testkit.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The plan never lies about the remote side: drift only the full identity rule sees, a wrong endpoint that must
 * not empty the state, a domain named twice, and a domain that really vanished. Each was reproduced against an
 * earlier certform, and each test fails if its guarantee is broken.
 */
class TrustEndToEndTest {

    private static final SimulatedRollout ROLLOUT = new SimulatedRollout(6, i -> "grp" + (i % 2), false);

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>(CliRun.TOKEN_ENV);
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private final TestCertificates.Authority ca = TestCertificates.authority("Trust CA");
    private TestCertificates.Issued wildcard;
    private Simulator simulator;

    @BeforeEach
    void setUp() throws Exception {
        wildcard = ca.issue("*.example.com");
        simulator = ROLLOUT.start(SimulatorOptions.defaults());
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private void manifest(String baseUrl, String extra) throws Exception {
        ROLLOUT.write(dir, "endpoint: \"" + baseUrl + "\", project_id: proj1", wildcard, extra);
    }

    private CliRun certform(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-f", dir.resolve("certform.yaml").toString()));
        return CliRun.run(env, "", all.toArray(String[]::new));
    }

    private State state() throws Exception {
        return ShopWorld.state(dir);
    }

    private HttpResponse<String> byHand(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/v2/proj1/apic/instances/inst1" + path))
                .header("X-Auth-Token", "tok").method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode simulatorState() throws Exception {
        return json.readTree(http.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/_simulator/state"))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void reboundByHandWithoutTrustedRootCa_isDrift_notNoChanges() throws Exception {
        Files.writeString(dir.resolve("ca.crt"), ca.certificatePem());
        manifest(simulator.baseUrl(), "    trusted_root_ca: ${file:ca.crt}\n");
        assertEquals(0, certform("apply", "--auto-approve").exitCode());
        assertEquals(0, certform("plan", "--detailed-exitcode").exitCode(), "in place after apply");

        // the same certificate and name, bound again by hand, but client-certificate checks silently off
        String body = json.createObjectNode().put("name", "site_cert").put("cert_content", wildcard.chainPem())
                .put("private_key", wildcard.privateKeyPem()).toString();
        assertEquals(201, byHand("POST", "/api-groups/grp0/domains/dom0/certificate", body).statusCode());

        CliRun plan = certform("plan", "--detailed-exitcode");
        assertEquals(2, plan.exitCode(), plan.toString());
        assertTrue(plan.out().contains("site[d0.example.com]") && plan.out().contains("client-certificate check off"),
                plan.out());
        assertTrue(plan.out().contains("1 to change"), plan.out());
        assertEquals(0, certform("apply", "--auto-approve").exitCode());
        assertEquals(0, certform("plan", "--detailed-exitcode").exitCode(), "converged");
    }

    @Test
    void reboundByHandIdentically_isAdoptedWithoutAChange() throws Exception {
        manifest(simulator.baseUrl(), "");
        assertEquals(0, certform("apply", "--auto-approve").exitCode());
        String body = json.createObjectNode().put("name", "site_cert").put("cert_content", wildcard.chainPem())
                .put("private_key", wildcard.privateKeyPem()).toString();
        String sslId = json.readTree(byHand("POST", "/api-groups/grp0/domains/dom0/certificate", body).body())
                .path("ssl_id").asString();
        CliRun plan = certform("plan", "--detailed-exitcode");
        assertEquals(0, plan.exitCode(), plan.toString());
        assertTrue(plan.out().contains("No changes. The domains carry the certificates the manifest declares."),
                "read from the remote side, no hedge: " + plan.out());
        CliRun unread = certform("plan", "--refresh=false");
        assertTrue(unread.out().contains("No changes. The state matches the manifest; the remote side was not read"),
                unread.out());
        assertEquals(0, certform("refresh").exitCode());
        assertEquals(sslId, state().resource("site[d0.example.com]").orElseThrow().sslId());
    }

    @Test
    void wrongEndpoint_neverEmptiesTheState_andDestroyDoesNotPretend() throws Exception {
        manifest(simulator.baseUrl(), "");
        assertEquals(0, certform("apply", "--auto-approve").exitCode());
        // as an earlier certform wrote it, recording no gateway (a state that records one is refused at once
        // elsewhere: StateGatewayTest), so that the other gateway's 404s are met
        Path file = dir.resolve("certform.state.json");
        tools.jackson.databind.node.ObjectNode old = (tools.jackson.databind.node.ObjectNode)
                tools.jackson.databind.json.JsonMapper.builder().build().readTree(Files.readString(file));
        old.remove("gateways");
        Files.writeString(file, old.toString());
        State applied = state();
        assertEquals(6, applied.resources().size());

        // another gateway that has none of these instances: every group read answers 404 (instance not found)
        try (Simulator elsewhere = GatewayWorld.of(0).startSimulator()) {
            manifest(elsewhere.baseUrl(), "");
            CliRun refresh = certform("refresh");
            assertEquals(1, refresh.exitCode(), refresh.toString());
            assertTrue(refresh.err().contains("the instance inst1 does not exist at " + elsewhere.baseUrl()
                    + ", project proj1"), refresh.err());
            assertEquals(applied, state(), "the state is unchanged");

            CliRun plan = certform("plan");
            assertEquals(1, plan.exitCode(), plan.toString());
            assertFalse(plan.out().contains("No changes"), plan.out());

            CliRun destroy = certform("destroy", "--auto-approve");
            assertEquals(1, destroy.exitCode(), destroy.toString());
            assertFalse(destroy.out().contains("No changes"), destroy.out());
            assertEquals(applied, state(), "still unchanged");
        }
    }

    @Test
    void oneDomainNamedTwice_byIdAndByName_isAnErrorBeforeAnythingIsSent() throws Exception {
        manifest(simulator.baseUrl(), "");
        String text = Files.readString(dir.resolve("certform.yaml"));
        Files.writeString(dir.resolve("certform.yaml"), text.replace("  site:\n", """
                  alias:
                    name: alias_cert
                    cert_content: ${file:wild.crt}
                    private_key: ${file:wild.key}
                    domains:
                      - { group_id: grp0, domain_id: dom0 }
                  site:
                """));
        CliRun apply = certform("apply", "--auto-approve");
        assertEquals(1, apply.exitCode(), apply.toString());
        assertTrue(apply.err().contains("name the same domain (dom0 in group grp0 of instance inst1)"), apply.err());
        assertEquals(0, simulatorState().path("counters").path("requests").path("POST").asInt(), "nothing was sent");
        assertFalse(Files.exists(dir.resolve("certform.state.json")), "nothing was written");
    }

    @Test
    void domainThatReallyVanished_isPlannedAsARemovalThatSaysWhy() throws Exception {
        manifest(simulator.baseUrl(), "");
        assertEquals(0, certform("apply", "--auto-approve").exitCode());
        assertEquals(204, byHand("DELETE", "/api-groups/grp1/domains/dom1", null).statusCode());
        // the manifest no longer declares it either: the binding is forgotten, with the reason shown
        String text = Files.readString(dir.resolve("certform.yaml"));
        Files.writeString(dir.resolve("certform.yaml"), text.replace("      - { group_id: grp1, domain: d1.example.com }\n",
                ""));
        CliRun plan = certform("plan", "--detailed-exitcode");
        assertEquals(2, plan.exitCode(), plan.toString());
        assertTrue(plan.out().contains("site[d1.example.com]") && plan.out().contains("no longer in its API group"),
                plan.out());
        long deletesBefore = simulatorState().path("counters").path("requests").path("DELETE").asLong();
        assertEquals(0, certform("apply", "--auto-approve").exitCode());
        assertEquals(deletesBefore, simulatorState().path("counters").path("requests").path("DELETE").asLong(),
                "forgetting sends nothing");
        assertTrue(state().resource("site[d1.example.com]").isEmpty());
        assertEquals(0, certform("plan", "--detailed-exitcode").exitCode());
    }

    @Test
    void refresh_recordsWhatTheApiAnswersForAHandBoundCertificate_notDefaults() throws Exception {
        manifest(simulator.baseUrl(), "");
        assertEquals(0, certform("apply", "--auto-approve").exitCode());
        TestCertificates.Issued ecdsa = TestCertificates.authority("Hand CA").issue(TestCertificates.ec("secp256r1"),
                java.time.Instant.now().minusSeconds(3600), java.time.Instant.now().plusSeconds(86400 * 90),
                "d0.example.com", "alt.example.com");
        String body = json.createObjectNode().put("name", "by_hand").put("cert_content", ecdsa.chainPem())
                .put("private_key", ecdsa.privateKeyPem()).toString();
        assertEquals(201, byHand("POST", "/api-groups/grp0/domains/dom0/certificate", body).statusCode());
        String ours = state().resource("site[d0.example.com]").orElseThrow().sslId();
        CliRun plan = certform("plan", "--json");
        JsonNode found = json.readTree(plan.out()).path("resource_drift").path(0).path("after");
        assertEquals("ECC", found.path("algorithm_type").asString(), "what the API answered, not RSA by default");
        assertEquals("Hand CA", found.path("issuer").asString());
        CliRun human = certform("plan");
        assertTrue(human.out().contains("for d0.example.com, alt.example.com"), human.toString());
        assertEquals("by_hand", found.path("ssl_name").asString());
        CliRun refresh = certform("refresh");
        assertEquals(0, refresh.exitCode(), refresh.toString());
        // recorded beside what certform bound, never over it: certform removes only what it can prove it bound
        var recorded = state().resource("site[d0.example.com]").orElseThrow();
        assertEquals(ours, recorded.sslId());
        assertEquals("by_hand", recorded.seen().sslName());
        assertEquals(found.path("ssl_id").asString(), recorded.seen().sslId());
    }
}
