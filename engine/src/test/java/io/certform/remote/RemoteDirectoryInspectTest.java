package io.certform.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.api.AddCertificateRequest;
import io.certform.api.CertificateBinding;
import io.certform.api.DomainLocation;
import io.certform.api.Endpoint;
import io.certform.api.GatewayClient;
import io.certform.api.TestHttp;
import io.certform.api.TokenAuth;
import io.certform.base.Secret;
import io.certform.base.Service;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.World;
import io.certform.testkit.TestCertificates;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How {@link RemoteDirectory#inspect} judges a domain: the certificate a bind replaces is never the bind's
 * certificate, however alike the two look; and a group that answers 404 is an error naming it, never a gone domain.
 */
class RemoteDirectoryInspectTest {

    private static final TestCertificates.Issued CERT = TestCertificates.authority("Inspect CA").issue("*.example.com");
    private static final DomainLocation AT = new DomainLocation("inst1", "grp1", "dom1");

    private static World world() {
        World world = new World();
        world.addDomain("inst1", "grp1", "dom1", "a.example.com");
        return world;
    }

    private static GatewayClient client(Simulator simulator) {
        return new GatewayClient(TestHttp.client(new TokenAuth("t"), Duration.ofSeconds(5)),
                new Endpoint(simulator.baseUrl(), "proj1", Service.ROMA));
    }

    /** The certificate with client-certificate checks on (for some client CA): all the API shows of it. */
    private static Identity.Expected expected() {
        return new Identity.Expected("cert_one", CERT.serialHex(), CERT.certificate().getNotAfter().toInstant(),
                "global", true);
    }

    private static CertificateBinding bindWithClientCa(GatewayClient client, String clientCaPem) {
        return client.addCertificate(AT, new AddCertificateRequest("cert_one", CERT.chainPem(),
                new Secret(CERT.privateKeyPem(), "k", null), "global", null, clientCaPem));
    }

    @Test
    void theCertificateABindReplaces_isNeverTheBindsCertificate_evenWhenItLooksTheSame() throws Exception {
        try (Simulator simulator = Simulator.start(world(), SimulatorOptions.defaults(), 0)) {
            GatewayClient client = client(simulator);
            // bound trusting one client CA; the bind being settled sends the same certificate trusting another
            String old = bindWithClientCa(client, TestCertificates.authority("Old Client CA").certificatePem())
                    .sslId();
            RemoteDirectory remote = new RemoteDirectory(client, "t", RemoteDirectory.Reads.DIRECT);

            DomainFacts alike = remote.inspect(AT, expected(), null, true);
            assertEquals(old, assertInstanceOf(DomainFacts.Carries.class, alike).sslId(),
                    "nothing tells the two apart but the ssl_id");

            DomainFacts replacing = remote.inspect(AT, expected(), old, true);
            DomainFacts.CarriesOther other = assertInstanceOf(DomainFacts.CarriesOther.class, replacing,
                    "the certificate being replaced (ssl_id " + old + ") was taken for the new one: " + replacing);
            assertEquals(old, other.primarySslId());
            assertEquals(List.of("it is the certificate bound before (ssl_id " + old + ")"), other.differences());

            String fresh = bindWithClientCa(client, TestCertificates.authority("New Client CA").certificatePem())
                    .sslId();
            assertEquals(fresh, assertInstanceOf(DomainFacts.Carries.class, remote.inspect(AT, expected(), old, true))
                    .sslId(), "once the bind landed, its certificate is found under its new ssl_id");
        }
    }

    @Test
    void aGroupThatAnswers404_isAnErrorNamingIt_neverAGoneDomain() throws Exception {
        try (Simulator simulator = Simulator.start(world(), SimulatorOptions.defaults(), 0)) {
            GatewayClient client = client(simulator);
            RemoteDirectory remote = new RemoteDirectory(client, "t", RemoteDirectory.Reads.DIRECT);
            assertInstanceOf(DomainFacts.Gone.class, remote.inspect(new DomainLocation("inst1", "grp1", "nope"),
                    expected(), null, true), "the group was read and the domain is not in it: that domain is gone");

            simulator.world().removeGroup("inst1", "grp1");
            for (boolean fresh : new boolean[] {true, false}) {
                RemoteDirectory again = new RemoteDirectory(client, "t", RemoteDirectory.Reads.DIRECT);
                RemoteReadException e = assertThrows(RemoteReadException.class,
                        () -> again.inspect(AT, expected(), null, fresh),
                        "a group that answers 404 APIG.3001 was read as its domain being gone");
                assertEquals(RemoteReadException.Kind.GROUP_NOT_FOUND, e.kind());
                assertEquals("APIG.3001", e.apiError().errorCode());
                assertTrue(e.getMessage().startsWith("the API group grp1 does not exist in instance inst1 at "
                        + simulator.baseUrl() + ", project proj1"), e.getMessage());
                assertTrue(e.getMessage().endsWith("nothing in the state was changed."), e.getMessage());
                assertThrows(RemoteReadException.class, () -> again.domain(AT, fresh));
            }
        }
    }
}
