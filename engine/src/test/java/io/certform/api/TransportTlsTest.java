package io.certform.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.certform.base.Service;
import io.certform.testkit.TestCertificates;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS is always verified; --ca-bundle trusts a private CA. */
class TransportTlsTest {

    @TempDir
    Path dir;

    private WireMockServer server;
    private TestCertificates.Authority privateCa;

    @BeforeEach
    void start() throws Exception {
        privateCa = TestCertificates.authority("Private Gateway CA");
        TestCertificates.Issued leaf = privateCa.issue("localhost");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", leaf.keys().getPrivate(), "pw".toCharArray(),
                new Certificate[] {leaf.certificate(), privateCa.certificate()});
        Path keystore = dir.resolve("server.p12");
        try (OutputStream out = Files.newOutputStream(keystore)) {
            store.store(out, "pw".toCharArray());
        }
        server = new WireMockServer(wireMockConfig().dynamicPort().dynamicHttpsPort().keystorePath(keystore.toString())
                .keystorePassword("pw").keyManagerPassword("pw").keystoreType("PKCS12"));
        server.start();
        server.stubFor(get("/v2/p/apic/instances/i/api-groups/g").willReturn(aResponse().withStatus(200)
                .withBody("{\"id\":\"g\",\"url_domains\":[]}")));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private GatewayClient client(Path caBundle) throws IOException {
        Transport transport = new Transport("certform/test", 2, GatewayClient.Timeouts.DEFAULT, caBundle, null);
        return new GatewayClient(transport.client(new TokenAuth("t")),
                new Endpoint("https://localhost:" + server.httpsPort(), "p", Service.ROMA));
    }

    @Test
    void privateCa_isRefusedByDefault() throws Exception {
        ApiException e = assertThrows(ApiException.class, () -> client(null).showGroup("i", "g"));
        assertEquals(0, e.status());
        assertTrue(e.getMessage().startsWith("TLS failure talking to https://localhost:" + server.httpsPort()
                + ": its certificate is not trusted ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("a gateway behind a private CA needs --ca-bundle FILE"), e.getMessage());
        assertTrue(e.isUnreachable(), "the same on every attempt: not retried");
        assertFalse(e.isRetryable());
        assertFalse(e.isOutcomeUnknown(), "refused in the handshake: the request never left");
    }

    @Test
    void caBundle_trustsThePrivateCa() throws Exception {
        Path bundle = dir.resolve("ca.pem");
        Files.writeString(bundle, privateCa.certificatePem());
        assertEquals("g", client(bundle).showGroup("i", "g").id());
    }

    @Test
    void caBundle_thatIsNotPem_isAClearError() throws Exception {
        Path bundle = dir.resolve("ca.pem");
        Files.writeString(bundle, "not a certificate");
        IOException e = assertThrows(IOException.class, () -> client(bundle));
        assertTrue(e.getMessage().contains("ca.pem"), e.getMessage());
    }
}
