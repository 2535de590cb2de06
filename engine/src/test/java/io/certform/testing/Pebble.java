package io.certform.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.certform.testkit.TestCertificates;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Let's Encrypt's test ACME server, {@code /usr/bin/pebble} (Debian package {@code pebble}), started for a test on
 * free loopback ports with a generated configuration: its TLS certificate made here with {@code testkit} (nothing
 * committed), {@code -dnsserver 127.0.0.1:PORT} at a simulator's DNS server (so pebble validates dns-01 through the
 * records certform created in the simulator's zones), {@code PEBBLE_VA_NOSLEEP=1}, authorizations never reused.
 *
 * <pre>{@code
 * Pebble.assumeInstalled();                                  // skipped with the reason, or failed when required
 * try (Pebble pebble = Pebble.builder(simulator.dnsPort()).start(dir)) {
 *     AcmeRequest request = AcmeRequest.of(pebble.directoryUrl(), ...).withTrust(pebble.trust());
 * }
 * }</pre>
 * Without pebble the tests are skipped with the reason; {@code CERTFORM_PEBBLE_REQUIRED=1} (set by {@code .ci/run})
 * makes them fail instead. {@code CERTFORM_PEBBLE} names another binary.
 */
public final class Pebble implements AutoCloseable {

    public static final Path BINARY = Path.of(System.getenv().getOrDefault("CERTFORM_PEBBLE", "/usr/bin/pebble"));

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    private final int port;
    private final int managementPort;
    private final X509Certificate tlsCa;
    private final Path log;
    private final HttpClient http;

    private Pebble(Process process, int port, int managementPort, X509Certificate tlsCa, Path log) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.tlsCa = tlsCa;
        this.log = log;
        this.http = HttpClient.newBuilder().sslContext(sslContext(tlsCa)).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** Skips the calling test with the reason when pebble is absent; fails it when CERTFORM_PEBBLE_REQUIRED=1. */
    public static void assumeInstalled() {
        if (Files.isExecutable(BINARY)) {
            return;
        }
        String reason = BINARY + " is not installed (Debian: apt-get install -y pebble); the ACME tests need it";
        if ("1".equals(System.getenv("CERTFORM_PEBBLE_REQUIRED"))) {
            fail(reason + ", and CERTFORM_PEBBLE_REQUIRED=1.");
        }
        System.err.println("ACME test SKIPPED: " + reason + "."); // in the build's output, not only its XML
        Assumptions.abort(reason + ": skipped.");
    }

    /** A pebble that resolves every name through the DNS server on {@code 127.0.0.1:dnsPort}. */
    public static Builder builder(int dnsPort) {
        return new Builder(dnsPort);
    }

    public static final class Builder {
        private final int dnsPort;
        private final Map<String, String> eab = new LinkedHashMap<>();
        private int nonceReject;
        private int alternateRoots;
        private boolean strict = true;

        private Builder(int dnsPort) {
            this.dnsPort = dnsPort;
        }

        /** Requires an external account binding; {@code keys}: key id to HMAC key (base64url). */
        public Builder eab(Map<String, String> keys) {
            eab.putAll(keys);
            return this;
        }

        /** The percentage of good nonces pebble refuses as {@code badNonce} (0 by default here). */
        public Builder nonceReject(int percent) {
            this.nonceReject = percent;
            return this;
        }

        /** How many alternate chains (other roots) pebble offers with each certificate. */
        public Builder alternateRoots(int count) {
            this.alternateRoots = count;
            return this;
        }

        /** {@code -strict} (on by default: the changes pebble is about to make are in force). */
        public Builder strict(boolean value) {
            this.strict = value;
            return this;
        }

        /** Starts pebble with its configuration, certificate and log in {@code dir}; returns once it answers. */
        public Pebble start(Path dir) throws IOException, InterruptedException {
            assumeInstalled();
            Files.createDirectories(dir);
            TestCertificates.Authority ca = TestCertificates.authority("certform test pebble TLS CA");
            TestCertificates.Issued tls = ca.issue("localhost");
            Path cert = dir.resolve("pebble-tls.pem");
            Path key = dir.resolve("pebble-tls-key.pem");
            Files.writeString(cert, tls.certificatePem());
            Files.writeString(key, tls.privateKeyPem());
            int port = freePort();
            int management = freePort();
            ObjectNode config = JSON.createObjectNode();
            ObjectNode pebble = config.putObject("pebble");
            pebble.put("listenAddress", "127.0.0.1:" + port);
            pebble.put("managementListenAddress", "127.0.0.1:" + management);
            pebble.put("certificate", cert.toString());
            pebble.put("privateKey", key.toString());
            pebble.put("httpPort", freePort());
            pebble.put("tlsPort", freePort());
            pebble.put("ocspResponderURL", "");
            pebble.put("externalAccountBindingRequired", !eab.isEmpty());
            if (!eab.isEmpty()) {
                ObjectNode keys = pebble.putObject("externalAccountMACKeys");
                eab.forEach(keys::put);
            }
            Path configFile = dir.resolve("pebble-config.json");
            Files.writeString(configFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config));
            Path log = dir.resolve("pebble.log");
            ProcessBuilder builder = new ProcessBuilder(BINARY.toString(), "-config", configFile.toString(),
                    "-dnsserver", "127.0.0.1:" + dnsPort, "-strict=" + strict)
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.put("PEBBLE_VA_NOSLEEP", "1");
            env.put("PEBBLE_WFE_NONCEREJECT", Integer.toString(nonceReject));
            env.put("PEBBLE_AUTHZREUSE", "0");
            env.put("PEBBLE_ALTERNATE_ROOTS", Integer.toString(alternateRoots));
            env.put("PEBBLE_WFE_ORDERS_PER_PAGE", "100");
            Pebble started = new Pebble(builder.start(), port, management, ca.certificate(), log);
            started.awaitReady();
            return started;
        }
    }

    /** The ACME directory: {@code https://localhost:PORT/dir}. */
    public String directoryUrl() {
        return "https://localhost:" + port + "/dir";
    }

    /** The CA that signs pebble's own TLS certificate: what {@code ca_bundle} holds. */
    public List<X509Certificate> trust() {
        return List.of(tlsCa);
    }

    /** {@link #trust()} as PEM. */
    public String trustPem() {
        return TestCertificates.pem(tlsCa);
    }

    /** The PEM of the root ({@code index} 0) or of an alternate root that signs the issued certificates. */
    public String rootPem(int index) throws IOException, InterruptedException {
        return management("/roots/" + index);
    }

    /** A GET on the management interface ({@code /roots/0}, {@code /cert-status-by-serial/HEX}). */
    public String management(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("https://localhost:"
                + managementPort + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new IOException("pebble's management interface answered " + response.statusCode() + " to " + path);
        }
        return response.body();
    }

    /** What pebble wrote so far. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void awaitReady() throws InterruptedException, IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("pebble exited (" + process.exitValue() + ") at start: " + log());
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(directoryUrl()))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(50);
        }
        close();
        throw new IOException("pebble did not answer on " + directoryUrl() + " within 20 s (" + last + "): " + log());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static SSLContext sslContext(X509Certificate ca) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("pebble-tls-ca", ca);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
