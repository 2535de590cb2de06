package io.certform.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.certform.base.Secret;
import io.certform.base.Service;
import io.certform.testkit.TestCertificates;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code https://} endpoint that does not speak TLS (a plain-HTTP port, which waits for a request line, or
 * answers the ClientHello in clear) is named at once as such, after one connection: the handshake has its own,
 * short timeout, apart from the read timeout of a slow API answer, which a real TLS server still has.
 */
class TlsHandshakeTimeoutTest {

    private static final String HINT = ": does it speak TLS? (an http:// endpoint, or another port?) Check"
            + " provider.endpoint.";
    private static final Duration READ = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static GatewayClient client(String base, Duration handshake, Path caBundle) throws IOException {
        Transport transport = new Transport("certform/test", 2, new GatewayClient.Timeouts(Duration.ofSeconds(10),
                READ, Duration.ofSeconds(60), handshake), caBundle, null);
        return new GatewayClient(transport.client(new TokenAuth("t")), new Endpoint(base, "p", Service.ROMA));
    }

    private static void assertNotTls(ApiException e, String message) {
        assertEquals(message, e.getMessage());
        assertTrue(e.isUnreachable(), "the next handshake meets the same server: " + e.getMessage());
        assertFalse(e.isRetryable(), "not retried: " + e.getMessage());
        assertFalse(e.isOutcomeUnknown(), "no request is written before the handshake: " + e.getMessage());
    }

    @Test
    void aServerThatNeverAnswersTheHandshake_isNamedAfterTheHandshakeTimeout_notTheReadTimeout() throws Exception {
        try (CountingPort plain = CountingPort.silent()) {
            String base = "https://127.0.0.1:" + plain.port();
            GatewayClient client = client(base, Duration.ofSeconds(1), null);
            long start = System.nanoTime();
            ApiException read = assertThrows(ApiException.class, () -> client.showGroup("i", "g"));
            long readMillis = (System.nanoTime() - start) / 1_000_000;
            assertNotTls(read, base + " did not answer the TLS handshake within 1 s" + HINT);
            assertEquals(1, plain.connections(), "one connection for one call");

            ApiException write = assertThrows(ApiException.class, () -> client.addCertificate(
                    new DomainLocation("i", "g", "d"), new AddCertificateRequest("name_1", "PEM",
                            new Secret("KEY", "test", null), "global", null, null)));
            assertNotTls(write, base + " did not answer the TLS handshake within 1 s" + HINT);
            assertEquals(2, plain.connections());
            System.out.println("silent https endpoint: the read failed after " + readMillis + " ms (read timeout "
                    + READ.toSeconds() + " s)");
        }
    }

    @Test
    void aServerThatAnswersTheHandshakeInPlainText_isNamedAtOnce() throws Exception {
        try (CountingPort plain = CountingPort.answering(
                "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")) {
            String base = "https://127.0.0.1:" + plain.port();
            ApiException e = assertThrows(ApiException.class,
                    () -> client(base, GatewayClient.Timeouts.DEFAULT_HANDSHAKE, null).showGroup("i", "g"));
            assertNotTls(e, base + " answered the TLS handshake in plain text" + HINT);
            assertEquals(1, plain.connections());
        }
    }

    /** A WireMock server over TLS, its certificate issued for localhost by a private CA (in {@code ca.pem}). */
    private WireMockServer tlsServer() throws Exception {
        TestCertificates.Authority ca = TestCertificates.authority("Handshake Test CA");
        TestCertificates.Issued leaf = ca.issue("localhost");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", leaf.keys().getPrivate(), "pw".toCharArray(),
                new Certificate[] {leaf.certificate(), ca.certificate()});
        Path keystore = dir.resolve("server.p12");
        try (OutputStream out = Files.newOutputStream(keystore)) {
            store.store(out, "pw".toCharArray());
        }
        Files.writeString(dir.resolve("ca.pem"), ca.certificatePem());
        WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort().dynamicHttpsPort()
                .keystorePath(keystore.toString()).keystorePassword("pw").keyManagerPassword("pw")
                .keystoreType("PKCS12"));
        server.start();
        return server;
    }

    @Test
    void aSlowAnswerOfARealTlsServer_longerThanTheHandshakeTimeout_stillArrives() throws Exception {
        WireMockServer server = tlsServer();
        try {
            server.stubFor(get("/v2/p/apic/instances/i/api-groups/g").willReturn(aResponse().withStatus(200)
                    .withFixedDelay(2_000).withBody("{\"id\":\"g\",\"url_domains\":[]}")));
            GatewayClient client = client("https://localhost:" + server.httpsPort(), Duration.ofSeconds(1),
                    dir.resolve("ca.pem"));
            assertEquals("g", client.showGroup("i", "g").id(),
                    "the answer, 2 s after the request, is bound by the read timeout (30 s), not the handshake's"
                            + " (1 s)");
        } finally {
            server.stop();
        }
    }

    @Test
    void aTlsServerSlowToAnswerTheHandshake_withinTheHandshakeTimeout_works() throws Exception {
        WireMockServer server = tlsServer();
        try (CountingPort slow = CountingPort.forwardingTo(server.httpsPort(), Duration.ofMillis(500))) {
            server.stubFor(get("/v2/p/apic/instances/i/api-groups/g").willReturn(aResponse().withStatus(200)
                    .withBody("{\"id\":\"g\",\"url_domains\":[]}")));
            GatewayClient client = client("https://localhost:" + slow.port(), GatewayClient.Timeouts.DEFAULT_HANDSHAKE,
                    dir.resolve("ca.pem"));
            assertEquals("g", client.showGroup("i", "g").id());
        } finally {
            server.stop();
        }
    }
}
