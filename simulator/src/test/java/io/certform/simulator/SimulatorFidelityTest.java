package io.certform.simulator;

import static io.certform.simulator.SimulatorWireClient.GROUP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.testkit.TestCertificates;
import java.io.IOException;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Details of the real service a client must cope with: serial formats, 404s, client-CA fields, rebinding. */
class SimulatorFidelityTest {

    private static final String CERT = GROUP + "/domains/dom1/certificate";
    private static TestCertificates.Authority ca;
    private static TestCertificates.Issued leaf;
    private static String body;

    @BeforeAll
    static void certificates() {
        ca = TestCertificates.authority("Fidelity CA");
        leaf = ca.issue("api.example.com", "*.example.com");
        body = SimulatorWireClient.certificateBody("cert_demo", leaf, null);
    }

    private static Simulator start(SimulatorOptions options) throws IOException {
        World world = new World();
        world.addDomain("inst1", "grp1", "dom1", "api.example.com");
        world.addDomain("inst1", "grp1", "dom2", "www.example.com");
        return Simulator.start(world, options.withTokens(Set.of("tok")).withSeed(3), 0);
    }

    @ParameterizedTest
    @CsvSource({"hex, '[0-9a-f]+'", "hex-colon, '[0-9A-F]{2}(:[0-9A-F]{2})*'", "hex-padded, '[0-9A-F]{40}'",
            "decimal, '[0-9]+'"})
    void serialFormat_writesTheSameNumberInTheChosenForm(String format, String shape) throws Exception {
        try (Simulator sim = start(SimulatorOptions.defaults().withSerialFormat(SerialFormat.parse(format)))) {
            SimulatorWireClient client = new SimulatorWireClient(sim);
            String sslId = client.json("POST", CERT, body).path("ssl_id").asString();
            String serial = client.json("GET", CERT + "/" + sslId, null).path("serial_number").asString();
            assertTrue(serial.matches(shape), serial);
            assertEquals(leaf.certificate().getSerialNumber(), number(serial, format), serial);
            assertEquals(leaf.serialHex(), client.state().path("domains").get(0).path("serial_number").asString(),
                    "the state keeps plain hex");
        }
    }

    private static BigInteger number(String serial, String format) {
        return format.equals("decimal") ? new BigInteger(serial) : new BigInteger(serial.replace(":", ""), 16);
    }

    @Test
    void mixedSerialFormat_variesPerCertificate_andRepeatsForOneCertificate() throws Exception {
        try (Simulator sim = start(SimulatorOptions.defaults().withSerialFormat(SerialFormat.MIXED))) {
            SimulatorWireClient client = new SimulatorWireClient(sim);
            Set<String> renderings = new HashSet<>();
            for (int i = 0; i < 12; i++) {
                String sslId = client.json("POST", CERT, body).path("ssl_id").asString();
                String serial = client.json("GET", CERT + "/" + sslId, null).path("serial_number").asString();
                assertEquals(serial, client.json("GET", CERT + "/" + sslId, null).path("serial_number").asString());
                renderings.add(serial);
            }
            assertTrue(renderings.size() >= 3, "several formats of one serial: " + renderings);
        }
    }

    @Test
    void unknownSerialFormat_isRefusedNamingTheChoices() {
        assertEquals("unknown --serial-format value 'octal': expected hex, hex-colon, hex-padded, decimal or mixed",
                assertThrows(IllegalArgumentException.class, () -> SerialFormat.parse("octal")).getMessage());
    }

    @Test
    void projects_otherProjectIds_answerInstanceNotFound() throws Exception {
        try (Simulator sim = start(SimulatorOptions.defaults().withProjects(Set.of("proj1")))) {
            SimulatorWireClient client = new SimulatorWireClient(sim);
            assertEquals(200, client.send("GET", GROUP, null).statusCode());
            HttpAnswer wrong = HttpAnswer.of(client, "GET", "/v2/proj2/apic/instances/inst1/api-groups/grp1", null);
            assertEquals(404, wrong.status());
            assertEquals("APIG.3030", wrong.code());
            assertEquals("APIG.3030", HttpAnswer.of(client, "POST",
                    "/v2/proj2/apigw/instances/inst1/api-groups/grp1/domains/dom1/certificate", body).code());
        }
    }

    @Test
    void groupRead_404sNameWhatIsMissing() throws Exception {
        try (Simulator sim = start(SimulatorOptions.defaults())) {
            SimulatorWireClient client = new SimulatorWireClient(sim);
            assertEquals("APIG.3030", HttpAnswer.of(client, "GET", "/v2/p/apic/instances/nope/api-groups/grp1", null)
                    .code());
            assertEquals("APIG.3001", HttpAnswer.of(client, "GET", "/v2/p/apic/instances/inst1/api-groups/nope", null)
                    .code());
            assertEquals("APIG.3020", HttpAnswer.of(client, "GET", GROUP + "/domains/nope/certificate/x", null).code());
        }
    }

    @Test
    void trustedRootCa_isReportedByShowCertificate_andTheGroupDetail() throws Exception {
        try (Simulator sim = start(SimulatorOptions.defaults())) {
            SimulatorWireClient client = new SimulatorWireClient(sim);
            String withCa = SimulatorWireClient.certificateBody("cert_demo", leaf, ca.certificatePem());
            JsonNode added = client.json("POST", CERT, withCa);
            assertTrue(added.path("verified_client_certificate_enabled").asBoolean());
            String sslId = added.path("ssl_id").asString();
            assertTrue(client.json("GET", CERT + "/" + sslId, null).path("is_has_trusted_root_ca").asBoolean());
            String apigwGroup = GROUP.replace("/apic/", "/apigw/");
            JsonNode row = client.json("GET", apigwGroup, null).path("url_domains").get(0);
            assertTrue(row.path("verified_client_certificate_enabled").asBoolean());
            assertTrue(row.path("is_has_trusted_root_ca").asBoolean());
            assertEquals(sslId, row.path("ssl_infos").get(0).path("ssl_id").asString());
            assertEquals("RSA", row.path("ssl_infos").get(0).path("algorithm_type").asString());
            assertEquals("global", row.path("ssl_infos").get(0).path("type").asString());

            String plain = client.json("POST", CERT, body).path("ssl_id").asString();
            JsonNode shown = client.json("GET", CERT + "/" + plain, null);
            assertTrue(shown.has("is_has_trusted_root_ca"));
            assertFalse(shown.path("is_has_trusted_root_ca").asBoolean());
            assertFalse(client.groupDomain(0).path("verified_client_certificate_enabled").asBoolean());
        }
    }

    @Test
    void rebind_putsACertificateOnADomainOutOfBand_withoutCountingItAsCreated() throws Exception {
        try (Simulator sim = start(SimulatorOptions.defaults())) {
            SimulatorWireClient client = new SimulatorWireClient(sim);
            String before = client.json("POST", CERT, body).path("ssl_id").asString();
            TestCertificates.Issued console = ca.issue("www.example.com", "api.example.com");
            ObjectNode rebind = SimulatorWireClient.JSON.createObjectNode();
            rebind.put("instance_id", "inst1");
            rebind.put("group_id", "grp1");
            rebind.put("url_domain", "API.example.com");
            rebind.put("cert_content", console.chainPem());
            rebind.put("private_key", console.privateKeyPem());
            var answer = client.send("POST", "/_simulator/rebind", rebind.toString());
            assertEquals(200, answer.statusCode(), answer.body());
            assertFalse(answer.body().contains("PRIVATE KEY"));
            JsonNode rebound = SimulatorWireClient.JSON.readTree(answer.body());
            String sslId = rebound.path("ssl_id").asString();
            assertEquals("dom1", rebound.path("domain_id").asString());
            assertEquals("console_cert", rebound.path("ssl_name").asString());
            assertFalse(sslId.equals(before));

            JsonNode shown = client.json("GET", CERT + "/" + sslId, null);
            assertEquals(console.serialHex(), shown.path("serial_number").asString());
            assertFalse(shown.path("is_has_trusted_root_ca").asBoolean(), "bound without trusted_root_ca");
            assertEquals(sslId, client.groupDomain(0).path("ssl_id").asString());
            JsonNode counters = client.state().path("counters");
            assertEquals(1, counters.path("certificates_created").asInt(), "only the API's own creation counts");
            assertEquals(1, counters.path("rebinds").asInt());
            assertEquals(1, client.state().path("domains").get(0).path("certificates_bound").asInt());
        }
    }

    @Test
    void rebind_checksLikeAnUpload_andNamesWhatIsMissing() throws Exception {
        try (Simulator sim = start(SimulatorOptions.defaults())) {
            SimulatorWireClient client = new SimulatorWireClient(sim);
            ObjectNode rebind = SimulatorWireClient.JSON.createObjectNode();
            rebind.put("instance_id", "inst1");
            rebind.put("group_id", "grp1");
            rebind.put("domain_id", "dom2");
            rebind.put("cert_content", leaf.chainPem());
            rebind.put("private_key", ca.issue("api.example.com").privateKeyPem());
            assertEquals("APIG.2101", HttpAnswer.of(client, "POST", "/_simulator/rebind", rebind.toString()).code());
            rebind.put("domain_id", "nope");
            assertEquals("APIG.3020", HttpAnswer.of(client, "POST", "/_simulator/rebind", rebind.toString()).code());
            rebind.remove("domain_id");
            rebind.put("url_domain", "missing.example.com");
            assertEquals("APIG.3020", HttpAnswer.of(client, "POST", "/_simulator/rebind", rebind.toString()).code());
            assertTrue(client.state().path("domains").get(1).path("ssl_id").isNull(), "nothing was bound");
        }
    }

    private record HttpAnswer(int status, String code) {
        static HttpAnswer of(SimulatorWireClient client, String method, String path, String body) throws Exception {
            var response = client.send(method, path, body);
            return new HttpAnswer(response.statusCode(),
                    SimulatorWireClient.JSON.readTree(response.body()).path("error_code").asString());
        }
    }
}
