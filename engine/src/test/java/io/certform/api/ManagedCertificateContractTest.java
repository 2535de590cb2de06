package io.certform.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.Secret;
import io.certform.base.Service;
import io.certform.remote.RemoteDirectory;
import io.certform.simulator.Simulator;
import io.certform.simulator.World;
import io.certform.testing.GatewayWorld;
import io.certform.testkit.TestCertificates;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The engine's client for the certificate-management calls against the simulator, on both services. */
class ManagedCertificateContractTest {

    private static TestCertificates.Issued wild;
    private static TestCertificates.Issued renewed;
    private static TestCertificates.Issued sm2Encrypt;
    private static TestCertificates.Issued sm2Sign;
    private Simulator simulator;

    @BeforeAll
    static void certificates() {
        TestCertificates.Authority ca = TestCertificates.authority("Managed Contract CA");
        wild = ca.issue("*.example.com");
        renewed = ca.issue("*.example.com");
        TestCertificates.Authority gm = TestCertificates.sm2Authority("GM Root");
        sm2Encrypt = gm.issueSm2("*.example.com");
        sm2Sign = gm.issueSm2("*.example.com");
    }

    @BeforeEach
    void start() throws Exception {
        simulator = GatewayWorld.of(7).startSimulator(); // dom0..dom6 named d<i>.example.com, five to a group
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private GatewayClient client(Service service) {
        return new GatewayClient(TestHttp.client(new TokenAuth("tok"), Duration.ofSeconds(10)),
                new Endpoint(simulator.baseUrl(), "proj1", service));
    }

    private static CertificateForm form(String name, TestCertificates.Issued c) {
        return new CertificateForm(name, c.chainPem(), new Secret(c.privateKeyPem(), "test", null), "global", null,
                null, null, null, null);
    }

    private static List<ManagedCertificates.DomainTarget> domains(int from, int to) {
        return java.util.stream.IntStream.range(from, to).mapToObj(i -> new ManagedCertificates.DomainTarget(
                "d" + i + ".example.com", List.of("inst1"), false)).toList();
    }

    @ParameterizedTest
    @EnumSource(Service.class)
    void createAttachRotateDetachDelete_roundTrip(Service service) {
        GatewayClient client = client(service);
        CertificateDetail created = client.createCertificate(form("wild_2026", wild));
        assertEquals(wild.serialHex(), created.serialNumber());
        assertEquals("wild_2026", client.showManagedCertificate(created.id()).name());
        assertEquals(1, client.listCertificates("wild_2026", 0, 10).total());

        client.attachDomains(created.id(), domains(0, 7));
        ManagedCertificates.AttachedPage first = client.attachedDomains(created.id(), 0, 5);
        assertEquals(7, first.total());
        assertEquals(5, first.domains().size());
        assertEquals(new ManagedCertificates.AttachedDomain("dom0", "d0.example.com", "grp0", "inst1"),
                first.domains().get(0));
        assertEquals(2, client.attachedDomains(created.id(), 5, 5).domains().size());
        assertTrue(client.showGroup("inst1", "grp1").byName("d5.example.com").orElseThrow().sslIds()
                .contains(created.id()));

        CertificateDetail rotated = client.updateCertificate(created.id(), form("wild_2026", renewed));
        assertEquals(created.id(), rotated.id());
        assertEquals(renewed.serialHex(), rotated.serialNumber());
        assertEquals(7, client.attachedDomains(created.id(), 0, 500).total(), "a rotation keeps every attachment");

        ApiException inUse = assertThrows(ApiException.class, () -> client.deleteManagedCertificate(created.id()));
        assertEquals(400, inUse.status());
        client.detachDomains(created.id(), domains(0, 7));
        client.deleteManagedCertificate(created.id());
        ApiException gone = assertThrows(ApiException.class, () -> client.showManagedCertificate(created.id()));
        assertTrue(RemoteDirectory.isCertificateGone(gone), gone.toString());
        assertTrue(simulator.world().domains().stream().allMatch(World.DomainView::bare));
    }

    @ParameterizedTest
    @EnumSource(Service.class)
    void sm2DualCertificate_sendsBothPairs(Service service) {
        CertificateForm dual = new CertificateForm("gm_dual_2026", sm2Encrypt.chainPem(),
                new Secret(sm2Encrypt.privateKeyPem(), "test", null), "global", null, null, "SM2",
                sm2Sign.chainPem(), new Secret(sm2Sign.privateKeyPem(), "test", null));
        assertFalse(dual.toString().contains("PRIVATE"), dual.toString());
        CertificateDetail created = client(service).createCertificate(dual);
        assertEquals("SM2", created.algorithmType());
        CertificateForm halfWrong = new CertificateForm("gm_dual_bad", sm2Encrypt.chainPem(),
                new Secret(sm2Encrypt.privateKeyPem(), "test", null), "global", null, null, "SM2",
                sm2Sign.chainPem(), new Secret(sm2Encrypt.privateKeyPem(), "test", null));
        ApiException refused = assertThrows(ApiException.class, () -> client(service).createCertificate(halfWrong));
        assertEquals("APIG.2101", refused.errorCode());
    }
}
