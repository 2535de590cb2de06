package io.certform.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.testkit.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Drives the simulator over HTTP only, as any client of the real service would. */
class SimulatorHttpTest {

    private static final String ROMA = "/v2/proj1/apic/instances/inst1/api-groups/grp1";
    private static final String APIGW = "/v2/proj1/apigw/instances/inst1/api-groups/grp1";
    private static final String CERT_PATH = ROMA + "/domains/dom1/certificate";

    private static TestCertificates.Issued valid;
    private static TestCertificates.Issued other;
    private static TestCertificates.Issued expired;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private Simulator simulator;

    @BeforeAll
    static void certificates() {
        TestCertificates.Authority ca = TestCertificates.authority("Sim Test CA");
        valid = ca.issue("api.example.com", "*.example.com");
        other = ca.issue("api.example.com");
        Instant now = Instant.now();
        expired = ca.issue(TestCertificates.rsa(2048), now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)),
                "api.example.com");
    }

    @BeforeEach
    void start() throws Exception {
        simulator = start(OnExisting.REPLACE);
    }

    private static Simulator start(OnExisting mode) throws Exception {
        World world = new World();
        world.addDomain("inst1", "grp1", "dom1", "api.example.com");
        world.addDomain("inst1", "grp1", "dom2", "other.test");
        return Simulator.start(world, SimulatorOptions.defaults().withTokens(Set.of("tok"))
                .withReadOnlyTokens(Set.of("reader")).withOnExisting(mode).withSeed(42), 0);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private record Answer(int status, JsonNode body) {
        String code() {
            return body.path("error_code").asString();
        }

        String message() {
            return body.path("error_msg").asString();
        }
    }

    private Answer call(Simulator sim, String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("X-Auth-Token", token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode parsed = response.body().isEmpty() ? json.createObjectNode() : json.readTree(response.body());
        return new Answer(response.statusCode(), parsed);
    }

    private Answer call(String method, String path, String body) throws Exception {
        return call(simulator, method, path, "tok", body);
    }

    private String body(String name, TestCertificates.Issued certificate, String key) {
        ObjectNode node = json.createObjectNode();
        node.put("name", name);
        node.put("cert_content", certificate.chainPem());
        node.put("private_key", key);
        return node.toString();
    }

    private Answer add(String name, TestCertificates.Issued certificate, String key) throws Exception {
        return call("POST", CERT_PATH, body(name, certificate, key));
    }

    @Test
    void add_answers201_withTheDocumentedFields() throws Exception {
        Answer a = add("cert_demo", valid, valid.privateKeyPem());
        assertEquals(201, a.status());
        assertEquals("dom1", a.body().path("id").asString());
        assertEquals("api.example.com", a.body().path("url_domain").asString());
        assertEquals(3, a.body().path("status").asInt());
        assertEquals("cert_demo", a.body().path("ssl_name").asString());
        assertTrue(a.body().path("ssl_id").asString().matches("[0-9a-f]{32}"), a.body().toString());
        assertEquals("RSA", a.body().path("ssl_infos").get(0).path("algorithm_type").asString());
        assertFalse(a.body().path("verified_client_certificate_enabled").asBoolean());
    }

    @Test
    void showCertificate_andGroup_reportWhatIsBound_withTheirOwnFieldNames() throws Exception {
        String sslId = add("cert_demo", valid, valid.privateKeyPem()).body().path("ssl_id").asString();
        Answer detail = call("GET", CERT_PATH + "/" + sslId, null);
        assertEquals(200, detail.status());
        assertEquals(valid.serialHex(), detail.body().path("serial_number").asString());
        assertEquals("api.example.com", detail.body().path("common_name").asString());
        assertEquals("SHA256-RSA", detail.body().path("signature_algorithm").asString());
        assertTrue(detail.body().path("not_after").asString().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
        assertFalse(detail.body().toString().contains("PRIVATE KEY"), "never returns the key");
        assertFalse(detail.body().toString().contains("BEGIN CERTIFICATE"), "never returns the PEM");

        Answer group = call("GET", ROMA, null);
        JsonNode domain = group.body().path("url_domains").get(0);
        assertEquals("api.example.com", domain.path("domain").asString());
        assertEquals(3, domain.path("cname_status").asInt());
        assertEquals(sslId, domain.path("ssl_id").asString());
        assertTrue(domain.path("ssl_infos").isMissingNode(), "ROMA does not report ssl_infos in group details");
        assertEquals(sslId, call("GET", APIGW, null).body().path("url_domains").get(0).path("ssl_infos").get(0)
                .path("ssl_id").asString(), "API Gateway does");
    }

    @Test
    void invalidName_isAPIG2012_namingTheParameter() throws Exception {
        Answer a = add("9bad", valid, valid.privateKeyPem());
        assertEquals(400, a.status());
        assertEquals("APIG.2012", a.code());
        assertEquals("Invalid parameter value,parameterName:name. Please refer to the support documentation",
                a.message());
    }

    @Test
    void missingFields_andBadType_areAPIG2012() throws Exception {
        assertEquals("Invalid parameter value,parameterName:cert_content. Please refer to the support documentation",
                call("POST", CERT_PATH, "{\"name\":\"cert_demo\",\"private_key\":\"k\"}").message());
        assertEquals("Invalid parameter value,parameterName:private_key. Please refer to the support documentation",
                call("POST", CERT_PATH, "{\"name\":\"cert_demo\",\"cert_content\":\"c\"}").message());
        ObjectNode instanceScoped = (ObjectNode) json.readTree(body("cert_demo", valid, valid.privateKeyPem()));
        instanceScoped.put("type", "instance");
        Answer a = call("POST", CERT_PATH, instanceScoped.toString());
        assertEquals(400, a.status());
        assertEquals("Invalid parameter value,parameterName:instance_id. Please refer to the support documentation",
                a.message());
    }

    @Test
    void malformedJson_is400() throws Exception {
        Answer a = call("POST", CERT_PATH, "{not json");
        assertEquals(400, a.status());
        assertEquals("APIG.2012", a.code());
    }

    @Test
    void certificateChecks_answerTheDocumentedCodes() throws Exception {
        assertEquals("APIG.2106", add("cert_demo", valid, "garbage").code());
        Answer mismatch = add("cert_demo", valid, other.privateKeyPem());
        assertEquals(400, mismatch.status());
        assertEquals("APIG.2101", mismatch.code());
        assertEquals("APIG.2102", add("cert_demo", expired, expired.privateKeyPem()).code());
        assertEquals("APIG.2105", add("cert_demo", valid,
                TestCertificates.encryptedPem(valid.keys().getPrivate(), "pw".toCharArray())).code());
        Answer wrongDomain = call("POST", ROMA + "/domains/dom2/certificate",
                body("cert_demo", valid, valid.privateKeyPem()));
        assertEquals("APIG.2103", wrongDomain.code(), "other.test is not named by the certificate");
    }

    @Test
    void unknownInstanceGroupDomain_are404WithTheirCodes() throws Exception {
        String b = body("cert_demo", valid, valid.privateKeyPem());
        assertEquals("APIG.3030", call("POST", "/v2/p/apic/instances/nope/api-groups/grp1/domains/dom1/certificate", b).code());
        assertEquals("APIG.3001", call("POST", "/v2/p/apic/instances/inst1/api-groups/nope/domains/dom1/certificate", b).code());
        Answer domain = call("POST", ROMA + "/domains/nope/certificate", b);
        assertEquals(404, domain.status());
        assertEquals("APIG.3020", domain.code());
        assertEquals("The URL domain does not exist", domain.message());
        assertEquals("APIG.3021", call("DELETE", CERT_PATH + "/0123", null).code());
    }

    @Test
    void removedGroup_answers404APIG3001_toEveryCallNamingIt_andLeavesTheListing() throws Exception {
        String sslId = add("cert_demo", valid, valid.privateKeyPem()).body().path("ssl_id").asString();
        simulator.world().removeGroup("inst1", "grp1");

        Answer group = call("GET", ROMA, null);
        assertEquals(404, group.status());
        assertEquals("APIG.3001", group.code());
        assertEquals("The API group does not exist", group.message());
        assertEquals("APIG.3001", call("GET", CERT_PATH + "/" + sslId, null).code());
        assertEquals("APIG.3001", call("DELETE", CERT_PATH + "/" + sslId, null).code());
        assertEquals("APIG.3001", add("cert_demo", valid, valid.privateKeyPem()).code());
        assertEquals(0, call("GET", "/v2/proj1/apic/instances/inst1/api-groups", null).body().path("total").asInt(),
                "the group is no longer listed");
        assertTrue(simulator.world().domains().isEmpty(), "its domains went with it");
        assertEquals("APIG.3001", assertThrows(ApiError.class, () -> simulator.world().removeGroup("inst1", "grp1"))
                .code);
    }

    @Test
    void tokens_missingUnknownAndReadOnly() throws Exception {
        String b = body("cert_demo", valid, valid.privateKeyPem());
        Answer missing = call(simulator, "POST", CERT_PATH, null, b);
        assertEquals(401, missing.status());
        assertEquals("APIG.1000", missing.code());
        Answer unknown = call(simulator, "POST", CERT_PATH, "who", b);
        assertEquals(401, unknown.status());
        assertEquals("APIG.1002", unknown.code());
        Answer readOnly = call(simulator, "POST", CERT_PATH, "reader", b);
        assertEquals(403, readOnly.status());
        assertEquals("APIG.1005", readOnly.code());
        assertEquals(200, call(simulator, "GET", ROMA, "reader", null).status(), "reads are allowed");
    }

    @Test
    void secondAdd_replacesByDefault_andConflictsWhenConfigured() throws Exception {
        String first = add("cert_one", valid, valid.privateKeyPem()).body().path("ssl_id").asString();
        Answer second = add("cert_two", valid, valid.privateKeyPem());
        assertEquals(201, second.status());
        assertNotEquals(first, second.body().path("ssl_id").asString());
        assertEquals("APIG.3021", call("GET", CERT_PATH + "/" + first, null).code(), "the old one is gone");

        try (Simulator strict = start(OnExisting.CONFLICT)) {
            String b = body("cert_one", valid, valid.privateKeyPem());
            assertEquals(201, call(strict, "POST", CERT_PATH, "tok", b).status());
            Answer refused = call(strict, "POST", CERT_PATH, "tok", b);
            assertEquals(400, refused.status());
            assertEquals("APIG.3400", refused.code());
            assertEquals("The resource cannot be changed.", refused.message());
        }
    }

    @Test
    void delete_removesTheBinding_andAnswers204() throws Exception {
        String sslId = add("cert_demo", valid, valid.privateKeyPem()).body().path("ssl_id").asString();
        assertEquals(204, call("DELETE", CERT_PATH + "/" + sslId, null).status());
        assertEquals("", call("GET", ROMA, null).body().path("url_domains").get(0).path("ssl_id").asString());
    }

    @Test
    void stateEndpoint_countsCreationsAndRequests_andResetClearsThem() throws Exception {
        add("cert_demo", valid, valid.privateKeyPem());
        add("cert_demo", valid, valid.privateKeyPem());
        call("GET", ROMA, null);
        Answer state = call(simulator, "GET", "/_simulator/state", null, null);
        assertEquals(2, state.body().path("counters").path("certificates_created").asInt());
        assertEquals(2, state.body().path("counters").path("requests").path("POST").asInt());
        assertEquals(1, state.body().path("counters").path("requests").path("GET").asInt());
        JsonNode dom1 = state.body().path("domains").get(0);
        assertEquals("dom1", dom1.path("domain_id").asString());
        assertEquals(2, dom1.path("certificates_bound").asInt(), "per-domain history");
        assertEquals(valid.serialHex(), dom1.path("serial_number").asString());

        assertEquals(204, call(simulator, "POST", "/_simulator/reset", null, null).status());
        JsonNode reset = call(simulator, "GET", "/_simulator/state", null, null).body();
        assertEquals(0, reset.path("counters").path("certificates_created").asInt());
        assertTrue(reset.path("domains").get(0).path("ssl_id").isNull());
    }

    @Test
    void bindAndUnbindDomain_changeTheGroupsDomains() throws Exception {
        Answer bound = call("POST", ROMA + "/domains", "{\"url_domain\":\"new.example.com\"}");
        assertEquals(201, bound.status());
        String id = bound.body().path("id").asString();
        assertTrue(id.matches("[0-9a-f]{32}"), id);
        assertEquals("new.example.com", bound.body().path("url_domain").asString());
        assertEquals("new.example.com", call("GET", ROMA, null).body().path("url_domains").get(2).path("domain").asString());
        Answer cert = call("POST", ROMA + "/domains/" + id + "/certificate", body("cert_demo", valid, valid.privateKeyPem()));
        assertEquals(201, cert.status(), "the wildcard covers the new domain");

        assertEquals(204, call("DELETE", ROMA + "/domains/" + id, null).status());
        assertEquals(2, call("GET", ROMA + "/", null).body().path("url_domains").size());
        assertEquals("APIG.3020", call("DELETE", ROMA + "/domains/" + id, null).code());
        assertEquals("Invalid parameter value,parameterName:url_domain. Please refer to the support documentation",
                call("POST", ROMA + "/domains", "{}").message());
    }

    @Test
    void unknownPath_andWrongMethod_areRefused() throws Exception {
        assertEquals(404, call("GET", "/v2/proj1/apic/nothing", null).status());
        assertEquals(405, call("PUT", CERT_PATH, "{}").status());
    }
}
