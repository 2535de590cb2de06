package io.certform.guarantees;

import io.certform.simulator.Simulator;
import io.certform.simulator.World;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Simulator helpers of the guarantees tests: its admin API, and what it holds per domain. */
final class Sims {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The one group of a scripted gateway (WireMock) for {@code new SimulatedRollout(1, i -> "grp0", true)}. */
    static final String SCRIPTED_GROUP = "/v2/proj1/apigw/instances/inst1/api-groups/grp0";
    /** The add call of that group's one domain, {@code dom0}. */
    static final String SCRIPTED_ADD = SCRIPTED_GROUP + "/domains/dom0/certificate";
    /** That group's detail, its one domain carrying nothing. */
    static final String SCRIPTED_BARE_GROUP = "{\"id\":\"grp0\",\"url_domains\":[{\"id\":\"dom0\","
            + "\"domain\":\"d0.example.com\",\"ssl_id\":\"\",\"ssl_name\":\"\",\"ssl_infos\":[],"
            + "\"verified_client_certificate_enabled\":false,\"is_has_trusted_root_ca\":false}]}";

    private Sims() {
    }

    static JsonNode adminState(Simulator simulator) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/_simulator/state")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return JSON.readTree(body);
    }

    static void awaitNoPendingWrites(Simulator simulator) throws Exception {
        if (!simulator.awaitWritesLanded(java.time.Duration.ofSeconds(30))) {
            throw new AssertionError("the simulator's writes did not land");
        }
    }

    static String perDomain(Simulator simulator) {
        StringBuilder out = new StringBuilder();
        for (World.DomainView d : simulator.world().domains()) {
            out.append(d.domainId()).append(": bound ").append(d.certificatesBound()).append(" ssl_id ")
                    .append(d.sslId()).append('\n');
        }
        return out.toString();
    }

    static HttpResponse<String> rebind(Simulator simulator, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/_simulator/rebind"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
