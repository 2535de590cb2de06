package io.certform.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.testkit.TestCertificates;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The certificate-management calls of API.md, over the wire, on both services. */
class CertificateManagementHttpTest {

    private static final String CERTS = "/v2/proj1/apic/certificates";
    private static final String GW_CERTS = "/v2/proj1/apigw/certificates";
    private static final JsonNode NONE = SimulatorWireClient.JSON.createObjectNode();

    private static TestCertificates.Issued wildcard;
    private static TestCertificates.Issued renewed;
    private static TestCertificates.Issued narrow;
    private static TestCertificates.Issued sm2Encrypt;
    private static TestCertificates.Issued sm2Sign;

    private Simulator simulator;
    private SimulatorWireClient client;

    @BeforeAll
    static void certificates() {
        TestCertificates.Authority ca = TestCertificates.authority("Managed CA");
        wildcard = ca.issue("*.shop.example.com");
        renewed = ca.issue("*.shop.example.com");
        narrow = ca.issue("api.shop.example.com");
        Instant now = Instant.now();
        sm2Encrypt = TestCertificates.selfSigned(TestCertificates.ec("sm2p256v1"), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(90)), "*.shop.example.com");
        sm2Sign = TestCertificates.selfSigned(TestCertificates.ec("sm2p256v1"), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(90)), "*.shop.example.com");
    }

    private static World world() {
        World world = new World();
        world.addDomain("inst1", "grp1", "dom1", "api.shop.example.com");
        world.addDomain("inst1", "grp1", "dom2", "www.shop.example.com");
        world.addDomain("inst1", "grp2", "dom3", "pay.shop.example.com");
        world.addDomain("inst2", "grp9", "dom9", "api.shop.example.com");
        return world;
    }

    private void start(SimulatorOptions options) throws IOException {
        simulator = Simulator.start(world(), options.withTokens(Set.of("tok")).withSeed(7), 0);
        client = new SimulatorWireClient(simulator);
    }

    @AfterEach
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }

    private static String form(String name, TestCertificates.Issued certificate) {
        ObjectNode node = SimulatorWireClient.JSON.createObjectNode();
        node.put("name", name);
        node.put("cert_content", certificate.chainPem());
        node.put("private_key", certificate.privateKeyPem());
        node.put("type", "global");
        return node.toString();
    }

    private static String domains(String... nameThenInstances) {
        ObjectNode body = SimulatorWireClient.JSON.createObjectNode();
        ArrayNode list = body.putArray("domains");
        for (String entry : nameThenInstances) {
            String[] parts = entry.split("@");
            ObjectNode d = list.addObject();
            d.put("domain", parts[0]);
            ArrayNode instances = d.putArray("instance_ids");
            for (int i = 1; i < parts.length; i++) {
                instances.add(parts[i]);
            }
            d.put("verified_client_certificate_enabled", false);
        }
        return body.toString();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return client.send(method, path, body);
    }

    private JsonNode ok(int status, String method, String path, String body) throws Exception {
        HttpResponse<String> answer = send(method, path, body);
        assertEquals(status, answer.statusCode(), method + " " + path + ": " + answer.body());
        return answer.body().isEmpty() ? NONE : SimulatorWireClient.JSON.readTree(answer.body());
    }

    private void error(int status, String code, String method, String path, String body) throws Exception {
        HttpResponse<String> answer = send(method, path, body);
        assertEquals(status, answer.statusCode(), answer.body());
        assertEquals(code, SimulatorWireClient.JSON.readTree(answer.body()).path("error_code").asString());
    }

    private String create(String base, String name, TestCertificates.Issued certificate) throws Exception {
        return ok(201, "POST", base, form(name, certificate)).path("id").asString();
    }

    private JsonNode calls() throws Exception {
        return client.state().path("counters").path("calls");
    }

    @Test
    void createShowAndList_answerMetadataOnly_withPaging() throws Exception {
        start(SimulatorOptions.defaults());
        String id = create(CERTS, "wild_2026", wildcard);
        create(CERTS, "narrow_2026", narrow);
        create(CERTS, "other_2026", renewed);
        JsonNode shown = ok(200, "GET", CERTS + "/" + id, null);
        assertEquals("wild_2026", shown.path("name").asString());
        assertEquals(wildcard.serialHex(), shown.path("serial_number").asString());
        assertEquals("RSA", shown.path("algorithm_type").asString());
        assertFalse(shown.toString().contains("BEGIN"), "no PEM in an answer");

        JsonNode first = ok(200, "GET", CERTS + "?offset=0&limit=2", null);
        assertEquals(3, first.path("total").asInt());
        assertEquals(2, first.path("size").asInt());
        assertEquals("wild_2026", first.path("certs").get(0).path("name").asString());
        JsonNode second = ok(200, "GET", CERTS + "?offset=2&limit=2", null);
        assertEquals(1, second.path("size").asInt());
        assertEquals("other_2026", second.path("certs").get(0).path("name").asString());
        JsonNode byName = ok(200, "GET", CERTS + "?name=narrow", null);
        assertEquals(1, byName.path("total").asInt());
        error(400, "APIG.2012", "GET", CERTS + "?limit=501", null);
        error(400, "APIG.2012", "GET", CERTS + "?offset=-1", null);
        // a certificate belongs to the service it was created in
        assertEquals(0, ok(200, "GET", GW_CERTS, null).path("total").asInt());
        error(404, "APIG.3025", "GET", GW_CERTS + "/" + id, null);
        error(400, "APIG.3400", "POST", CERTS, form("wild_2026", wildcard));
        assertEquals(3, client.state().path("counters").path("managed_certificates_created").asInt());
    }

    @Test
    void attachInBatch_byNameAndInstance_showsOnGroupsAndAttachedDomains_withPaging() throws Exception {
        start(SimulatorOptions.defaults());
        String id = create(CERTS, "wild_2026", wildcard);
        ok(204, "POST", CERTS + "/" + id + "/domains/attach",
                domains("api.shop.example.com@inst1@inst2", "www.shop.example.com@inst1", "pay.shop.example.com@inst1"));
        JsonNode attached = ok(200, "GET", CERTS + "/" + id + "/attached-domains?offset=0&limit=3", null);
        assertEquals(4, attached.path("total").asInt());
        assertEquals(3, attached.path("size").asInt());
        JsonNode row = attached.path("bound_domains").get(0);
        assertEquals("api.shop.example.com", row.path("url_domain").asString());
        assertEquals("dom1", row.path("id").asString());
        assertEquals("grp1", row.path("api_group_id").asString());
        assertEquals("inst1", row.path("instance_id").asString());
        assertEquals("", row.path("ssl_id").asString(), "the real service answers these empty");
        assertEquals(1, ok(200, "GET", CERTS + "/" + id + "/attached-domains?offset=3&limit=3", null)
                .path("size").asInt());

        JsonNode domain = client.groupDomain(0);
        assertEquals(id, domain.path("ssl_id").asString());
        assertEquals("wild_2026", domain.path("ssl_name").asString());
        for (JsonNode d : client.state().path("domains")) {
            assertEquals(id, d.path("attached").get(0).asString(), d.toString());
            assertEquals(id, d.path("ssl_id").asString());
        }
        // attaching again changes nothing
        ok(204, "POST", CERTS + "/" + id + "/domains/attach", domains("api.shop.example.com@inst1"));
        assertEquals(4, ok(200, "GET", CERTS + "/" + id + "/attached-domains", null).path("total").asInt());
        assertEquals(2, calls().path("certificate_attach").asInt());
        assertEquals(3, calls().path("certificate_attached_domains").asInt());
        assertEquals(1, calls().path("certificate_create").asInt());
    }

    @Test
    void attach_isAllOrNothing_andNamesUnknownCertificatesDomainsAndInstances() throws Exception {
        start(SimulatorOptions.defaults());
        String id = create(CERTS, "wild_2026", wildcard);
        String narrowId = create(CERTS, "narrow_2026", narrow);
        error(404, "APIG.3020", "POST", CERTS + "/" + id + "/domains/attach",
                domains("api.shop.example.com@inst1", "nowhere.shop.example.com@inst1"));
        error(404, "APIG.3030", "POST", CERTS + "/" + id + "/domains/attach", domains("api.shop.example.com@nope"));
        error(404, "APIG.3025", "POST", CERTS + "/missing/domains/attach", domains("api.shop.example.com@inst1"));
        error(404, "APIG.3025", "PUT", CERTS + "/missing", form("wild_2026", renewed));
        error(404, "APIG.3025", "DELETE", CERTS + "/missing", null);
        error(400, "APIG.2012", "POST", CERTS + "/" + id + "/domains/attach", "{\"domains\":[]}");
        error(400, "APIG.2103", "POST", CERTS + "/" + narrowId + "/domains/attach",
                domains("api.shop.example.com@inst1", "www.shop.example.com@inst1"));
        assertTrue(client.state().path("domains").valueStream().allMatch(d -> d.path("attached").isEmpty()),
                "a refused batch attaches nothing");
    }

    @Test
    void rotate_isOnePutThatKeepsTheIdAndEveryAttachment() throws Exception {
        start(SimulatorOptions.defaults());
        String id = create(CERTS, "wild_2026", wildcard);
        ok(204, "POST", CERTS + "/" + id + "/domains/attach",
                domains("api.shop.example.com@inst1", "www.shop.example.com@inst1"));
        JsonNode updated = ok(200, "PUT", CERTS + "/" + id, form("wild_2027", renewed));
        assertEquals(id, updated.path("id").asString());
        assertEquals(renewed.serialHex(), updated.path("serial_number").asString());
        assertEquals(2, ok(200, "GET", CERTS + "/" + id + "/attached-domains", null).path("total").asInt());
        assertEquals("wild_2027", client.groupDomain(0).path("ssl_name").asString());
        assertEquals(renewed.serialHex(), client.state().path("domains").get(0).path("serial_number").asString());
        JsonNode counters = client.state().path("counters");
        assertEquals(1, counters.path("managed_certificates_updated").asInt());
        assertEquals(1, counters.path("calls").path("certificate_update").asInt());
        // new content that no longer names an attached domain is refused, and the old content stays
        error(400, "APIG.2103", "PUT", CERTS + "/" + id, form("wild_2027", narrow));
        assertEquals(renewed.serialHex(), ok(200, "GET", CERTS + "/" + id, null).path("serial_number").asString());
    }

    @Test
    void delete_isRefusedWhileAttached_andDetachTakesOnlyWhatIsNamed() throws Exception {
        start(SimulatorOptions.defaults());
        String id = create(CERTS, "wild_2026", wildcard);
        ok(204, "POST", CERTS + "/" + id + "/domains/attach",
                domains("api.shop.example.com@inst1", "www.shop.example.com@inst1"));
        error(400, "APIG.3400", "DELETE", CERTS + "/" + id, null);
        ok(204, "POST", CERTS + "/" + id + "/domains/detach", domains("api.shop.example.com@inst1"));
        JsonNode left = ok(200, "GET", CERTS + "/" + id + "/attached-domains", null);
        assertEquals(1, left.path("total").asInt());
        assertEquals("www.shop.example.com", left.path("bound_domains").get(0).path("url_domain").asString());
        error(400, "APIG.3400", "DELETE", CERTS + "/" + id, null);
        ok(204, "POST", CERTS + "/" + id + "/domains/detach", domains("www.shop.example.com@inst1"));
        ok(204, "DELETE", CERTS + "/" + id, null);
        error(404, "APIG.3025", "GET", CERTS + "/" + id, null);
        assertTrue(client.state().path("domains").valueStream().allMatch(d -> d.path("ssl_id").isNull()));
    }

    @Test
    void domainCarryingSeveralCertificates_listsThemInSslInfos_onBothServices() throws Exception {
        start(SimulatorOptions.defaults());
        String seedPath = SimulatorWireClient.GROUP + "/domains/dom1/certificate";
        String seedId = ok(201, "POST", seedPath, SimulatorWireClient.certificateBody("seed_cert", narrow, null))
                .path("ssl_id").asString();
        String id = create(CERTS, "wild_2026", wildcard);
        String perDomain = "/v2/proj1/apic/instances/inst1/api-groups/grp1/domains/dom1/certificates/";
        ok(204, "POST", perDomain + "attach", "{\"certificate_ids\":[\"" + id + "\"]}");
        JsonNode roma = client.groupDomain(0);
        assertEquals(seedId, roma.path("ssl_id").asString(), "ssl_id names one of them");
        List<String> infos = new ArrayList<>();
        roma.path("ssl_infos").forEach(i -> infos.add(i.path("ssl_id").asString()));
        assertEquals(List.of(seedId, id), infos);
        assertFalse(client.groupDomain(1).has("ssl_infos"), "ROMA lists ssl_infos only where it has several");
        JsonNode gw = client.json("GET", "/v2/proj1/apigw/instances/inst1/api-groups/grp1", null)
                .path("url_domains").get(0);
        assertEquals(2, gw.path("ssl_infos").size());
        // the seed certificate goes; the attached one stays
        ok(204, "DELETE", seedPath + "/" + seedId, null);
        assertEquals(id, client.groupDomain(0).path("ssl_id").asString());
        ok(204, "POST", perDomain + "detach", "{\"certificate_ids\":[\"" + id + "\"]}");
        assertEquals("", client.groupDomain(0).path("ssl_id").asString());
        error(404, "APIG.3025", "POST", perDomain + "attach", "{\"certificate_ids\":[\"missing\"]}");
        error(404, "APIG.3020", "POST",
                "/v2/proj1/apic/instances/inst1/api-groups/grp1/domains/nope/certificates/attach",
                "{\"certificate_ids\":[\"" + id + "\"]}");
        assertEquals(3, calls().path("domain_certificates_attach").asInt());
        assertEquals(1, calls().path("domain_certificates_detach").asInt());
        assertEquals(1, calls().path("domain_certificate_add").asInt());
    }

    @Test
    void sm2DualCertificate_isCheckedPairByPair() throws Exception {
        start(SimulatorOptions.defaults());
        ObjectNode dual = (ObjectNode) SimulatorWireClient.JSON.readTree(form("sm2_dual", sm2Encrypt));
        dual.put("algorithm_type", "SM2");
        dual.put("cert_content_sign", sm2Sign.chainPem());
        dual.put("private_key_sign", sm2Sign.privateKeyPem());
        JsonNode created = ok(201, "POST", GW_CERTS, dual.toString());
        assertEquals("SM2", created.path("algorithm_type").asString());

        ObjectNode mismatched = dual.deepCopy();
        mismatched.put("name", "sm2_bad_pair");
        mismatched.put("private_key_sign", sm2Encrypt.privateKeyPem());
        error(400, "APIG.2101", "POST", GW_CERTS, mismatched.toString());
        ObjectNode rsaClaimed = dual.deepCopy();
        rsaClaimed.put("name", "sm2_as_rsa");
        rsaClaimed.put("algorithm_type", "RSA");
        error(400, "APIG.2012", "POST", GW_CERTS, rsaClaimed.toString());
        ObjectNode rsaSign = dual.deepCopy();
        rsaSign.put("name", "sm2_rsa_sign");
        rsaSign.put("cert_content_sign", wildcard.chainPem());
        rsaSign.put("private_key_sign", wildcard.privateKeyPem());
        error(400, "APIG.2012", "POST", GW_CERTS, rsaSign.toString());
        ObjectNode halfPair = dual.deepCopy();
        halfPair.put("name", "sm2_half");
        halfPair.remove("private_key_sign");
        error(400, "APIG.2012", "POST", GW_CERTS, halfPair.toString());
    }

    @Test
    void lateCreate_closesWithoutAnswer_thenTheCertificateAppears() throws Exception {
        start(SimulatorOptions.defaults().withFaults(Faults.none().withLateWrites(1, Duration.ofMillis(300))));
        assertThrows(IOException.class, () -> client.send("POST", CERTS, form("wild_2026", wildcard)));
        assertEquals(0, ok(200, "GET", CERTS + "?name=wild_2026", null).path("total").asInt(),
                "not landed yet: a lost answer is not a no");
        JsonNode state = client.awaitNoPendingWrites(Duration.ofSeconds(10));
        assertEquals(1, state.path("counters").path("faults").path("late").asInt());
        assertEquals(1, ok(200, "GET", CERTS + "?name=wild_2026", null).path("total").asInt());
        assertEquals(1, state.path("counters").path("calls").path("certificate_create").asInt());
    }

    @Test
    void lateAttach_landsAfterTheLostAnswer() throws Exception {
        start(SimulatorOptions.defaults().withFaults(Faults.none().withLateWrites(1, Duration.ofMillis(300))));
        World w = simulator.world();
        w.managedModel().create("apic", new BoundCertificate("c1", "wild_2026", "global", null, "RSA",
                "*.shop.example.com", List.of("*.shop.example.com"), "", "", "1", List.of(), "SHA256-RSA", false, ""));
        assertThrows(IOException.class, () -> client.send("POST", CERTS + "/c1/domains/attach",
                domains("api.shop.example.com@inst1")));
        client.awaitNoPendingWrites(Duration.ofSeconds(10));
        assertEquals(1, ok(200, "GET", CERTS + "/c1/attached-domains", null).path("total").asInt());
    }

    @Test
    void persistedWorld_keepsManagedCertificatesAndAttachments(@TempDir Path dir) throws Exception {
        start(SimulatorOptions.defaults());
        String id = create(CERTS, "wild_2026", wildcard);
        ok(204, "POST", CERTS + "/" + id + "/domains/attach", domains("api.shop.example.com@inst1@inst2"));
        ok(200, "PUT", CERTS + "/" + id, form("wild_2027", renewed));
        Path file = dir.resolve("world.json");
        WorldFile.write(simulator.world(), file);
        assertFalse(Files.readString(file).contains("BEGIN"), "no PEM persisted");
        simulator.close();
        simulator = Simulator.start(WorldFile.read(file), SimulatorOptions.defaults().withTokens(Set.of("tok")), 0);
        client = new SimulatorWireClient(simulator);
        JsonNode shown = ok(200, "GET", CERTS + "/" + id, null);
        assertEquals("wild_2027", shown.path("name").asString());
        assertEquals(2, ok(200, "GET", CERTS + "/" + id + "/attached-domains", null).path("total").asInt());
        assertNotEquals("", client.groupDomain(0).path("ssl_id").asString());
        assertEquals(1, client.state().path("counters").path("managed_certificates_updated").asInt());
    }

    @Test
    void listGroups_pagesTheInstanceGroups_withTheirDomains() throws Exception {
        start(SimulatorOptions.defaults());
        String groups = "/v2/proj1/apic/instances/inst1/api-groups";
        JsonNode first = ok(200, "GET", groups + "?offset=0&limit=1", null);
        assertEquals(2, first.path("total").asInt());
        assertEquals(1, first.path("size").asInt());
        assertEquals("grp1", first.path("groups").get(0).path("id").asString());
        assertEquals(2, first.path("groups").get(0).path("url_domains").size());
        JsonNode second = ok(200, "GET", groups + "?offset=1&limit=1", null);
        assertEquals("pay.shop.example.com", second.path("groups").get(0).path("url_domains").get(0)
                .path("domain").asString());
        error(404, "APIG.3030", "GET", "/v2/proj1/apic/instances/nope/api-groups", null);
        assertEquals(3, calls().path("group_list").asInt());
    }
}
