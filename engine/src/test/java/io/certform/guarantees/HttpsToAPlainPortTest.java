package io.certform.guarantees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.cli.CliRun;
import io.certform.api.CountingPort;
import io.certform.cli.SimulatedRollout;
import io.certform.simulator.Faults;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.testkit.TestCertificates;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What retrying cannot fix fails at once: an {@code https://} endpoint pointing at the simulator's plain-HTTP port
 * (the user typed https for an http gateway). The plain server never answers the ClientHello (it waits for a
 * request line), so every command used to wait for the read timeout in the handshake and retry for minutes. Now
 * plan, refresh, apply and destroy each make one connection (counted at a port in front of the simulator), stop
 * after the handshake timeout naming the endpoint and the cause, exit 1 as for the other unreachable gateways, and
 * leave the bindings the state records as they were.
 */
class HttpsToAPlainPortTest {

    private static final SimulatedRollout ROLLOUT = SimulatedRollout.ofGroupsOfFive(3);
    private static final TestCertificates.Issued CERT = TestCertificates.authority("Plain CA").issue("*.example.com");
    /** The manifest the commands run with declares a renewal, so that apply has calls to make. */
    private static final TestCertificates.Issued RENEWED = CERT.issuer().issue("*.example.com");
    private static final String HINT = ": does it speak TLS? (an http:// endpoint, or another port?)";

    @TempDir
    Path dir;

    private Path stateFile() {
        return dir.resolve("certform.state.json");
    }

    /** The state's gateway is the endpoint the commands use now (else the state would be refused first). */
    private void recordGateway(String endpoint) throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode state = (ObjectNode) json.readTree(Files.readString(stateFile()));
        ((ObjectNode) state.get("gateways").get("default")).put("endpoint", endpoint);
        Files.writeString(stateFile(), json.writeValueAsString(state));
    }

    /** What the state records of the bindings (its serial may move: an apply writes the state at its end). */
    private String resources() throws Exception {
        return JsonMapper.builder().build().readTree(Files.readString(stateFile())).get("resources").toString();
    }

    @Test
    void anHttpsEndpointOnThePlainHttpPort_failsEveryCommandAfterOneHandshake_namingTheEndpoint() throws Exception {
        try (Simulator simulator = ROLLOUT.start(SimulatorOptions.defaults().withFaults(Faults.none()))) {
            Path manifest = ROLLOUT.write(dir, simulator, CERT);
            CliRun apply = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, apply.exitCode(), apply.toString());

            int plainPort = URI.create(simulator.baseUrl()).getPort();
            try (CountingPort front = CountingPort.forwardingTo(plainPort, Duration.ZERO)) {
                String endpoint = "https://127.0.0.1:" + front.port();
                ROLLOUT.write(dir, "endpoint: \"" + endpoint + "\", project_id: proj1", RENEWED, "");
                recordGateway(endpoint);
                String f = manifest.toString();

                List<String[]> commands = new ArrayList<>();
                commands.add(new String[]{"plan", "-f", f}); // the default handshake timeout
                commands.add(new String[]{"refresh", "-f", f, "--tls-handshake-timeout", "2s"});
                commands.add(new String[]{"apply", "--auto-approve", "-f", f, "--tls-handshake-timeout", "2s"});
                commands.add(new String[]{"apply", "--auto-approve", "-refresh=false", "-f", f,
                        "--tls-handshake-timeout", "2s", "--parallelism", "1"});
                commands.add(new String[]{"destroy", "--auto-approve", "-f", f, "--tls-handshake-timeout", "2s"});
                commands.add(new String[]{"destroy", "--auto-approve", "-refresh=false", "-f", f,
                        "--tls-handshake-timeout", "2s", "--parallelism", "1"});
                String resourcesBefore = resources();
                int connections = front.connections();
                StringBuilder timings = new StringBuilder();
                for (String[] args : commands) {
                    String command = String.join(" ", args);
                    String limit = command.contains("--tls-handshake-timeout") ? "2 s" : "10 s";
                    long start = System.nanoTime();
                    CliRun run = CliRun.run(args);
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    timings.append(command).append(": ").append(millis).append(" ms\n");
                    assertEquals(1, run.exitCode(), command + "\n" + run);
                    int made = front.connections() - connections;
                    connections += made;
                    assertEquals(1, made, command + ": one connection, not retried\n" + run);
                    // the plain server waits for a request line; should the ClientHello hold one, it answers 400 in
                    // clear, which is named the same way
                    assertTrue(run.all().contains(endpoint + " did not answer the TLS handshake within " + limit + HINT)
                            || run.all().contains(endpoint + " answered the TLS handshake in plain text" + HINT),
                            command + ": names the endpoint and the cause\n" + run);
                    assertFalse(run.all().contains("run certform again when the gateway answers"),
                            command + "\n" + run);
                    assertEquals(resourcesBefore, resources(), command + " changed the state\n" + run);
                }
                System.out.println("https:// to the simulator's plain port:\n" + timings);
            }
        }
    }

    @Test
    void anHttpsEndpointWhoseServerClosesWithoutAnswering_failsPlanAfterOneConnection_namingTheEndpoint()
            throws Exception {
        try (Simulator simulator = ROLLOUT.start(SimulatorOptions.defaults().withFaults(Faults.none()));
                CountingPort closing = CountingPort.answering("")) {
            ROLLOUT.write(dir, simulator, CERT);
            String endpoint = "https://127.0.0.1:" + closing.port();
            Path manifest = ROLLOUT.write(dir, "endpoint: \"" + endpoint + "\", project_id: proj1", CERT, "");
            CliRun plan = CliRun.run("plan", "-f", manifest.toString(), "--tls-handshake-timeout", "2s");
            assertEquals(1, plan.exitCode(), plan.toString());
            assertEquals(1, closing.connections(), "one connection, not retried\n" + plan);
            assertTrue(plan.all().contains(endpoint), "names the endpoint\n" + plan);
        }
    }
}
