package io.certform.guarantees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.cli.CliRun;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.certform.cli.SimulatedRollout;
import io.certform.simulator.Faults;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.state.local.LocalStateStore;
import io.certform.state.State;
import io.certform.testkit.TestCertificates;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What retrying cannot fix fails at once: a gateway endpoint whose port refuses connections, and one whose TLS
 * certificate is not trusted. Every command that talks to the gateway (plan, refresh, apply, destroy, with and
 * without refresh) makes exactly one attempt (counted in the HTTP log, which logs every attempt), says what is
 * wrong and what to check, and leaves the state as it was.
 */
class UnreachableGatewayTest {

    private static final int N = 3;
    private static final SimulatedRollout ROLLOUT = SimulatedRollout.ofGroupsOfFive(N);
    private static final TestCertificates.Issued CERT = TestCertificates.authority("Reach CA").issue("*.example.com");
    /** The manifest the commands run with declares a renewal, so that apply has calls to make. */
    private static final TestCertificates.Issued RENEWED = CERT.issuer().issue("*.example.com");
    private static final Pattern ATTEMPT = Pattern.compile("(?m)^--> (GET|POST|PUT|DELETE) ");

    @TempDir
    Path dir;

    private State state() throws Exception {
        return new LocalStateStore(dir.resolve("certform.state.json"), "t").read();
    }

    /** Binds the three domains on a simulator, so that destroy has something to remove. */
    private Path applied() throws Exception {
        try (Simulator simulator = ROLLOUT.start(SimulatorOptions.defaults().withFaults(Faults.none()))) {
            Path manifest = ROLLOUT.write(dir, simulator, CERT);
            CliRun apply = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, apply.exitCode(), apply.toString());
            return manifest;
        }
    }

    private static int closedLoopbackPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort(); // closed when this returns: nothing listens there
        }
    }

    private static List<String[]> everyGatewayCommand(String f) {
        List<String[]> commands = new ArrayList<>();
        commands.add(new String[]{"plan", "-f", f, "--log-http"});
        commands.add(new String[]{"refresh", "-f", f, "--log-http"});
        commands.add(new String[]{"apply", "--auto-approve", "-f", f, "--log-http"});
        commands.add(new String[]{"apply", "--auto-approve", "-refresh=false", "-f", f, "--log-http",
                "--parallelism", "1"});
        commands.add(new String[]{"destroy", "--auto-approve", "-f", f, "--log-http"});
        commands.add(new String[]{"destroy", "--auto-approve", "-refresh=false", "-f", f, "--log-http",
                "--parallelism", "1"});
        return commands;
    }

    /** The state's gateway is the endpoint that cannot be reached now (else the state would be refused first). */
    private void recordGateway(String endpoint) throws Exception {
        Path file = dir.resolve("certform.state.json");
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode state = (ObjectNode) json.readTree(Files.readString(file));
        ((ObjectNode) state.get("gateways").get("default")).put("endpoint", endpoint);
        Files.writeString(file, json.writeValueAsString(state));
    }

    private void assertEachFailsAtOnce(String f, String cause, String remedy) throws Exception {
        State before = state();
        for (String[] args : everyGatewayCommand(f)) {
            String command = String.join(" ", args);
            CliRun run = CliRun.run(args);
            assertEquals(1, run.exitCode(), command + "\n" + run);
            Matcher attempts = ATTEMPT.matcher(run.err());
            int count = 0;
            while (attempts.find()) {
                count++;
            }
            assertEquals(1, count, command + ": one attempt, not retried\n" + run);
            assertTrue(run.all().contains(cause), command + ": names the cause\n" + run);
            assertTrue(run.all().contains(remedy), command + ": says what to check\n" + run);
            assertFalse(run.all().contains("run certform again when the gateway answers"), command + "\n" + run);
            assertEquals(before.resources(), state().resources(), command + " changed the state\n" + run);
        }
    }

    @Test
    void aPortThatRefusesConnections_failsEveryCommandAtOnce_namingTheEndpoint() throws Exception {
        Path manifest = applied();
        int port = closedLoopbackPort();
        ROLLOUT.write(dir, "endpoint: \"http://127.0.0.1:" + port + "\", project_id: proj1", RENEWED, "");
        recordGateway("http://127.0.0.1:" + port);
        assertEachFailsAtOnce(manifest.toString(), "cannot connect to http://127.0.0.1:" + port
                + ": connection refused", "check the host and port of provider.endpoint");
    }

    @Test
    void aGatewayWithAnUntrustedCertificate_failsEveryCommandAtOnce_namingTheRemedy() throws Exception {
        Path manifest = applied();
        TestCertificates.Issued untrusted = TestCertificates.authority("Unknown Gateway CA").issue("localhost");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("gateway", untrusted.keys().getPrivate(), "pw".toCharArray(),
                new Certificate[]{untrusted.certificate(), untrusted.issuer().certificate()});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "pw".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(500, -1); // never reached: the client refuses the handshake
            exchange.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            ROLLOUT.write(dir, "endpoint: \"https://localhost:" + port + "\", project_id: proj1", RENEWED,
                    "");
            recordGateway("https://localhost:" + port);
            assertEachFailsAtOnce(manifest.toString(), "TLS failure talking to https://localhost:" + port
                    + ": its certificate is not trusted", "--ca-bundle");
        } finally {
            server.stop(0);
        }
    }
}
