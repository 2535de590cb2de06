package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.certform.simulator.Simulator;
import io.certform.simulator.TlsFaults;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code apply --notify URL} posts the rollout's summary, retried, carrying no secret. */
class RolloutNotifyTest {

    @TempDir
    Path dir;

    @Test
    void notify_postsTheSummary_afterARetry_withoutAnySecret() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int n = calls.incrementAndGet();
            if (n == 1) {
                exchange.sendResponseHeaders(503, -1); // the first attempt fails: the post is retried
            } else {
                bodies.add(body);
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        hook.start();
        try (Simulator simulator = ShopWorld.startServingTls(12, 5, 5)) {
            RolloutEndToEndTest rollout = new RolloutEndToEndTest();
            rollout.dir = dir;
            // issued under an intermediate: a domain serving its leaf alone has a chain that does not verify
            io.certform.testkit.TestCertificates.Issued cert = RolloutEndToEndTest.CA.intermediate("Rollout Int")
                    .issue("*.shop.example.com");
            Path manifest = rollout.manifest(simulator, "per-domain", cert, "stop");
            simulator.tlsFaults(new TlsFaults(0, List.of("api1.shop.example.com")));
            CliRun apply = CliRun.run("apply", "-f", manifest.toString(),
                    "--auto-approve", "--notify", "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook");
            assertEquals(1, apply.exitCode(), "the broken chain stops the rollout: " + apply);
            assertEquals(2, calls.get(), "posted again after the 503");
            JsonNode summary = JsonMapper.builder().build().readTree(bodies.get(0));
            assertFalse(summary.path("ok").asBoolean());
            assertTrue(summary.path("stopped").asBoolean());
            assertEquals("broken", summary.path("failed_checks").get(0).path("outcome").asText(), bodies.get(0));
            assertEquals("api1.shop.example.com", summary.path("failed_checks").get(0).path("domain").asText());
            assertFalse(bodies.get(0).contains("PRIVATE KEY") || bodies.get(0).contains("BEGIN"), bodies.get(0));
            String keyLine = cert.privateKeyPem().lines().skip(1).findFirst().orElseThrow();
            assertFalse(bodies.get(0).contains(keyLine));
        } finally {
            hook.stop(0);
        }
    }
}
