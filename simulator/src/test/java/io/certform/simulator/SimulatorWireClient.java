package io.certform.simulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** A small HTTP client for the simulator tests: calls, bodies and the state oracle, over the wire only. */
final class SimulatorWireClient {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String GROUP = "/v2/proj1/apic/instances/inst1/api-groups/grp1";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Simulator simulator;

    SimulatorWireClient(Simulator simulator) {
        this.simulator = simulator;
    }

    /** The answer to one call; throws IOException when the connection is closed without one. */
    HttpResponse<String> send(String method, String path, String body, Duration timeout) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path))
                .header("X-Auth-Token", "tok").timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        return send(method, path, body, Duration.ofSeconds(10));
    }

    JsonNode json(String method, String path, String body) throws Exception {
        String text = send(method, path, body).body();
        return text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text);
    }

    /** {@code GET /_simulator/state}: the true world and the counters. */
    JsonNode state() throws Exception {
        return json("GET", "/_simulator/state", null);
    }

    /** The first domain of group grp1 as the group detail shows it. */
    JsonNode groupDomain(int index) throws Exception {
        return json("GET", GROUP, null).path("url_domains").get(index);
    }

    /**
     * Waits, at most {@code limit}, until the state shows no pending write; real time, since what is tested is
     * a write landing after its connection closed.
     */
    JsonNode awaitNoPendingWrites(Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        JsonNode state = state();
        while (state.path("counters").path("writes_pending").asInt() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            state = state();
        }
        return state;
    }

    static String certificateBody(String name, io.certform.testkit.TestCertificates.Issued certificate,
                                  String trustedRootCa) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", name);
        node.put("cert_content", certificate.chainPem());
        node.put("private_key", certificate.privateKeyPem());
        if (trustedRootCa != null) {
            node.put("trusted_root_ca", trustedRootCa);
        }
        return node.toString();
    }
}
