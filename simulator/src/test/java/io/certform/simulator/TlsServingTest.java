package io.certform.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.testkit.TestCertificates;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The TLS port presents, per SNI name, the chain the domain carries now; its faults; keys stay in memory. */
class TlsServingTest {

    private static final String DOMAINS = SimulatorWireClient.GROUP + "/domains/";
    private static final String CERTS = "/v2/proj1/apic/certificates";

    private static TestCertificates.Authority root;
    private static TestCertificates.Issued first;
    private static TestCertificates.Issued second;
    private static TestCertificates.Issued managed;
    private static TestCertificates.Issued managedNext;

    private Simulator simulator;
    private SimulatorWireClient client;
    private int tlsPort;

    @BeforeAll
    static void certificates() {
        root = TestCertificates.authority("TLS Test Root");
        TestCertificates.Authority intermediate = root.intermediate("TLS Test Intermediate");
        first = intermediate.issue("a.example.com");
        second = intermediate.issue("a.example.com");
        managed = intermediate.issue("*.example.com");
        managedNext = intermediate.issue("*.example.com");
    }

    @BeforeEach
    void start() throws Exception {
        World world = new World();
        world.addDomain("inst1", "grp1", "da", "a.example.com");
        world.addDomain("inst1", "grp1", "db", "b.example.com");
        world.addDomain("inst1", "grp1", "dc", "c.example.com");
        simulator = Simulator.start(world, SimulatorOptions.defaults().withTokens(Set.of("tok")).withSeed(3), 0);
        client = new SimulatorWireClient(simulator);
        tlsPort = simulator.serveTls(0, TlsFaults.none());
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private void bind(String domainId, TestCertificates.Issued certificate) throws Exception {
        HttpResponse<String> answer = client.send("POST", DOMAINS + domainId + "/certificate",
                SimulatorWireClient.certificateBody("cert_" + domainId, certificate, null));
        assertEquals(201, answer.statusCode(), answer.body());
    }

    private String attachManaged(String domainName) throws Exception {
        return attachManaged("wild_cert", managed, domainName);
    }

    private static String form(String name, TestCertificates.Issued certificate) {
        ObjectNode form = SimulatorWireClient.JSON.createObjectNode();
        form.put("name", name);
        form.put("cert_content", certificate.chainPem());
        form.put("private_key", certificate.privateKeyPem());
        return form.toString();
    }

    private String attachManaged(String name, TestCertificates.Issued certificate, String domainName)
            throws Exception {
        HttpResponse<String> created = client.send("POST", CERTS, form(name, certificate));
        assertEquals(201, created.statusCode(), created.body());
        String id = SimulatorWireClient.JSON.readTree(created.body()).path("id").asString();
        attachment(id, domainName, "attach");
        return id;
    }

    private void attachment(String id, String domainName, String attachOrDetach) throws Exception {
        String body = "{\"domains\":[{\"domain\":\"" + domainName + "\",\"instance_ids\":[\"inst1\"]}]}";
        HttpResponse<String> answer = client.send("POST", CERTS + "/" + id + "/domains/" + attachOrDetach, body);
        assertEquals(204, answer.statusCode(), answer.body());
    }

    private static void assertChain(TestCertificates.Issued expected, X509Certificate[] served) throws Exception {
        assertEquals(2, served.length, "leaf and intermediate");
        assertArrayEquals(expected.certificate().getEncoded(), served[0].getEncoded(), "the leaf");
        assertArrayEquals(expected.issuer().certificate().getEncoded(), served[1].getEncoded(), "the intermediate");
    }

    @Test
    void eachNamePresentsTheChainItsDomainCarries_seedBoundAndManaged() throws Exception {
        bind("da", first);
        attachManaged("b.example.com");
        assertChain(first, TlsTestClient.chain(tlsPort, "a.example.com"));
        assertChain(managed, TlsTestClient.chain(tlsPort, "B.Example.COM"));
    }

    @Test
    void anEcdsaCertificate_isPresentedToo() throws Exception {
        java.time.Instant now = java.time.Instant.now();
        TestCertificates.Issued ec = root.intermediate("EC Intermediate").issue(TestCertificates.ec("secp256r1"),
                now.minus(java.time.Duration.ofDays(1)), now.plus(java.time.Duration.ofDays(30)), "c.example.com");
        bind("dc", ec);
        assertChain(ec, TlsTestClient.chain(tlsPort, "c.example.com"));
    }

    @Test
    void afterARebind_theNewCertificateIsPresented() throws Exception {
        bind("da", first);
        bind("da", second);
        assertChain(second, TlsTestClient.chain(tlsPort, "a.example.com"));
    }

    @Test
    void unknownNameBareDomainOrNoSni_refuseTheHandshake() throws Exception {
        bind("da", first);
        SSLException unknown = assertThrows(SSLException.class,
                () -> TlsTestClient.chain(tlsPort, "nobody.example.com"));
        assertTrue(unknown.getMessage().contains("unrecognized_name"), unknown.getMessage());
        assertThrows(SSLException.class, () -> TlsTestClient.chain(tlsPort, "c.example.com"));
        assertThrows(SSLException.class, () -> TlsTestClient.chain(tlsPort, null));
    }

    @Test
    void staleRateOne_presentsWhatTheDomainCarriedBeforeItsLastChange() throws Exception {
        bind("da", first);
        bind("da", second);
        simulator.tlsFaults(new TlsFaults(1.0, List.of()));
        assertChain(first, TlsTestClient.chain(tlsPort, "a.example.com"));
        simulator.tlsFaults(TlsFaults.none());
        assertChain(second, TlsTestClient.chain(tlsPort, "a.example.com"));
    }

    @Test
    void managedRotation_inPlace_presentsTheNewContent_andStaleTheOld() throws Exception {
        String id = attachManaged("b.example.com");
        HttpResponse<String> updated = client.send("PUT", CERTS + "/" + id, form("wild_cert", managedNext));
        assertEquals(200, updated.statusCode(), updated.body());
        assertChain(managedNext, TlsTestClient.chain(tlsPort, "b.example.com"));
        simulator.tlsFaults(new TlsFaults(1.0, List.of()));
        assertChain(managed, TlsTestClient.chain(tlsPort, "b.example.com"));
    }

    @Test
    void managedRotation_byANewResource_detachedThenAttached_staleStillPresentsTheOld() throws Exception {
        String oldId = attachManaged("b.example.com");
        attachment(oldId, "b.example.com", "detach");
        assertThrows(SSLException.class, () -> TlsTestClient.chain(tlsPort, "b.example.com"), "bare for a moment");
        attachManaged("wild_next", managedNext, "b.example.com");
        assertChain(managedNext, TlsTestClient.chain(tlsPort, "b.example.com"));
        simulator.tlsFaults(new TlsFaults(1.0, List.of()));
        assertChain(managed, TlsTestClient.chain(tlsPort, "b.example.com"));
    }

    @Test
    void brokenNames_presentTheLeafAlone_setAtRunTimeThroughTheAdminEndpoint() throws Exception {
        bind("da", first);
        attachManaged("b.example.com");
        HttpResponse<String> set = client.send("POST", "/_simulator/tls-faults",
                "{\"serve_broken\":[\"*.example.com\"]}");
        assertEquals(200, set.statusCode(), set.body());
        X509Certificate[] served = TlsTestClient.chain(tlsPort, "a.example.com");
        assertEquals(1, served.length);
        assertArrayEquals(first.certificate().getEncoded(), served[0].getEncoded());
        assertEquals(1, TlsTestClient.chain(tlsPort, "b.example.com").length);

        client.send("POST", "/_simulator/tls-faults", "{\"serve_broken\":[\"b.example.com\"]}");
        assertChain(first, TlsTestClient.chain(tlsPort, "a.example.com"));
        JsonNode tls = client.state().path("tls");
        assertEquals(tlsPort, tls.path("port").asInt());
        assertEquals("b.example.com", tls.path("serve_broken").get(0).asString());
    }

    @Test
    void staleChoiceDependsOnNameAndSeed_andRoughlyFollowsTheRate() {
        TlsFaults half = new TlsFaults(0.5, List.of());
        int stale = 0;
        for (int i = 0; i < 1000; i++) {
            if (half.stale("d" + i + ".example.com", 3)) {
                stale++;
            }
        }
        assertTrue(stale > 400 && stale < 600, "about half: " + stale);
        assertEquals(half.stale("x.example.com", 3), half.stale("X.EXAMPLE.COM", 3));
        assertFalse(new TlsFaults(0, List.of()).stale("x.example.com", 3));
    }

    @Test
    void keysStayInMemory_worldFileAndStateHoldNone_andAReadWorldPresentsNothing(@TempDir Path dir)
            throws Exception {
        bind("da", first);
        attachManaged("b.example.com");
        assertChain(first, TlsTestClient.chain(tlsPort, "a.example.com"));
        Path file = dir.resolve("world.json");
        WorldFile.write(simulator.world(), file);
        String saved = Files.readString(file);
        assertTrue(saved.contains("a.example.com"));
        assertFalse(saved.contains("PRIVATE KEY"), "no key in the world file");
        assertFalse(saved.contains("BEGIN"), "no PEM in the world file");
        assertFalse(client.state().toString().contains("BEGIN"), "no PEM in the state dump");

        simulator.close();
        simulator = Simulator.start(WorldFile.read(file), SimulatorOptions.defaults().withSeed(3), 0);
        int port = simulator.serveTls(0, TlsFaults.none());
        assertThrows(SSLException.class, () -> TlsTestClient.chain(port, "a.example.com"));
        assertThrows(SSLException.class, () -> TlsTestClient.chain(port, "b.example.com"));
    }

    @Test
    void withoutATlsPort_noKeyIsKept_andOnlyBindsAfterItStartsArePresented() throws Exception {
        simulator.close();
        World world = new World();
        world.addDomain("inst1", "grp1", "da", "a.example.com");
        simulator = Simulator.start(world, SimulatorOptions.defaults().withTokens(Set.of("tok")).withSeed(3), 0);
        client = new SimulatorWireClient(simulator);
        bind("da", first);
        assertEquals(null, world.presented("a.example.com").now(), "no TLS port, no key held");

        tlsPort = simulator.serveTls(0, TlsFaults.none());
        assertThrows(SSLException.class, () -> TlsTestClient.chain(tlsPort, "a.example.com"));
        bind("da", second);
        assertChain(second, TlsTestClient.chain(tlsPort, "a.example.com"));
    }
}
