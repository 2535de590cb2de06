package io.certform.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.Secret;
import io.certform.base.Service;
import io.certform.simulator.OnExisting;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.testing.GatewayWorld;
import io.certform.testkit.TestCertificates;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The engine's own client against the simulator, on both services' paths: the two agree on the contract. */
class SimulatorContractTest {

    private static TestCertificates.Issued ecc;
    private static TestCertificates.Issued rsa;
    private Simulator simulator;

    @BeforeAll
    static void certificates() {
        TestCertificates.Authority ca = TestCertificates.authority("Contract CA");
        java.time.Instant now = java.time.Instant.now();
        ecc = ca.issue(TestCertificates.ec("secp384r1"), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)),
                "api.example.com");
        rsa = ca.issue("api.example.com");
    }

    @BeforeEach
    void start() throws Exception {
        simulator = GatewayWorld.of(0).domain("grp1", "dom1", "api.example.com")
                .options(SimulatorOptions.defaults().withOnExisting(OnExisting.CONFLICT)).startSimulator();
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private GatewayClient client(Service service, String token) {
        return new GatewayClient(TestHttp.client(new TokenAuth(token), Duration.ofSeconds(10)),
                new Endpoint(simulator.baseUrl(), "proj1", service));
    }

    private static AddCertificateRequest request(TestCertificates.Issued c, String key) {
        return new AddCertificateRequest("contract_cert", c.chainPem(), new Secret(key, "test", null), "global", null,
                null);
    }

    @ParameterizedTest
    @EnumSource(Service.class)
    void addShowGroupDelete_roundTrip(Service service) {
        GatewayClient client = client(service, "tok");
        DomainLocation at = new DomainLocation("inst1", "grp1", "dom1");
        CertificateBinding bound = client.addCertificate(at, request(ecc, ecc.privateKeyPem()));
        assertEquals("dom1", bound.domainId());
        assertEquals("api.example.com", bound.urlDomain());

        CertificateDetail detail = client.showCertificate(at, bound.sslId());
        assertEquals(ecc.serialHex(), detail.serialNumber());
        assertEquals("ECC", detail.algorithmType());
        assertEquals("contract_cert", detail.name());

        GroupDetail group = client.showGroup("inst1", "grp1");
        assertEquals(bound.sslId(), group.byName("api.example.com").orElseThrow().sslId());

        ApiException conflict = assertThrows(ApiException.class,
                () -> client.addCertificate(at, request(rsa, rsa.privateKeyPem())));
        assertTrue(conflict.isConflict(), conflict.getMessage());

        client.deleteCertificate(at, bound.sslId());
        assertEquals("", client.showGroup("inst1", "grp1").domains().get(0).sslId());
        CertificateBinding again = client.addCertificate(at, request(rsa, rsa.privateKeyPem()));
        assertNotEquals(bound.sslId(), again.sslId());
    }

    @ParameterizedTest
    @EnumSource(Service.class)
    void errors_mapToTypedExceptions(Service service) {
        GatewayClient client = client(service, "tok");
        DomainLocation at = new DomainLocation("inst1", "grp1", "dom1");
        ApiException mismatch = assertThrows(ApiException.class,
                () -> client.addCertificate(at, request(ecc, rsa.privateKeyPem())));
        assertEquals("APIG.2101", mismatch.errorCode());
        ApiException missingDomain = assertThrows(ApiException.class,
                () -> client.addCertificate(new DomainLocation("inst1", "grp1", "nope"), request(ecc, ecc.privateKeyPem())));
        assertTrue(missingDomain.isNotFound());
        assertEquals("APIG.3020", missingDomain.errorCode());
        ApiException badToken = assertThrows(ApiException.class, () -> client(service, "wrong").showGroup("inst1", "grp1"));
        assertTrue(badToken.isAuthFailure());
        assertEquals("APIG.1002", badToken.errorCode());
    }
}
