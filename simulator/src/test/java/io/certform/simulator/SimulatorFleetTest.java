package io.certform.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.testkit.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * What a fleet of simulators needs: a world that is one project (another project's path answers as the real service
 * answers a wrong project id), authentication that fails for a while and then works again, and faults that belong
 * to one simulator, not to the process.
 */
class SimulatorFleetTest {

    private static final String EU = "/v2/proj-eu/apic/instances/inst1/api-groups/grp1";
    private static final String OTHER = "/v2/proj1/apic/instances/inst1/api-groups/grp1";
    private static String body;

    @TempDir
    Path dir;

    @BeforeAll
    static void certificate() {
        body = SimulatorWireClient.certificateBody("wild_cert",
                TestCertificates.authority("Fleet CA").issue("*.example.com"), null);
    }

    private static World world(String project) {
        World world = new World();
        world.addDomain("inst1", "grp1", "dom1", "d1.example.com");
        world.addDomain("inst1", "grp1", "dom2", "d2.example.com");
        world.projectId(project);
        return world;
    }

    private static Simulator start(World world, SimulatorOptions options) throws Exception {
        return Simulator.start(world, options.withTokens(Set.of("tok")).withSeed(3), 0);
    }

    private static String code(HttpResponse<String> answer) {
        return SimulatorWireClient.JSON.readTree(answer.body()).path("error_code").asString();
    }

    @Test
    void worldProject_anotherProjectsPath_answersInstanceNotFound_andChangesNothing() throws Exception {
        try (Simulator sim = start(world("proj-eu"), SimulatorOptions.defaults())) {
            SimulatorWireClient client = new SimulatorWireClient(sim);
            assertEquals(200, client.send("GET", EU, null).statusCode());
            HttpResponse<String> read = client.send("GET", OTHER, null);
            assertEquals(404, read.statusCode(), read.body());
            assertEquals("APIG.3030", code(read));
            HttpResponse<String> write = client.send("POST", OTHER + "/domains/dom1/certificate", body);
            assertEquals(404, write.statusCode(), write.body());
            assertEquals("APIG.3030", code(write));
            assertEquals("APIG.3030", code(client.send("GET", "/v2/proj1/apic/certificates", null)),
                    "the certificate-management paths too");
            assertNull(sim.world().domains().get(0).sslId(), "the refused write was not carried out");
            assertEquals(201, client.send("POST", EU + "/domains/dom1/certificate", body).statusCode());
            assertEquals("proj-eu", client.state().path("project_id").asString());
        }
    }

    @Test
    void worldProject_andTheProjectOption_bothExist_andAWorldWithoutOneAcceptsAny() throws Exception {
        try (Simulator sim = start(world("proj-eu"), SimulatorOptions.defaults().withProjects(Set.of("proj1")))) {
            SimulatorWireClient client = new SimulatorWireClient(sim);
            assertEquals(200, client.send("GET", EU, null).statusCode());
            assertEquals(200, client.send("GET", OTHER, null).statusCode());
            assertEquals("APIG.3030", code(client.send("GET", OTHER.replace("proj1", "proj2"), null)));
        }
        try (Simulator sim = start(world(null), SimulatorOptions.defaults())) {
            SimulatorWireClient client = new SimulatorWireClient(sim);
            assertEquals(200, client.send("GET", EU, null).statusCode());
            assertEquals(200, client.send("GET", OTHER, null).statusCode());
            assertTrue(client.state().path("project_id").isMissingNode());
        }
    }

    @Test
    void worldFile_projectAndRegion_areRead_savedAndReadBack_andAWrongValueIsNamed() throws Exception {
        Path yaml = dir.resolve("eu.world.yaml");
        Files.writeString(yaml, "project_id: proj-eu\nregion: eu-west-101\ninstances:\n  - id: inst1\n    groups:\n"
                + "      - id: grp1\n        domains:\n          - { id: dom1, url_domain: d1.example.com }\n");
        World read = WorldFile.read(yaml);
        assertEquals("proj-eu", read.projectId());
        assertEquals("eu-west-101", read.region());
        Path saved = dir.resolve("saved.json");
        WorldFile.write(read, saved);
        World again = WorldFile.read(saved);
        assertEquals("proj-eu", again.projectId());
        assertEquals("eu-west-101", again.region());
        assertEquals(1, again.domains().size());

        Path bad = dir.resolve("bad.world.yaml");
        Files.writeString(bad, "project_id: [a, b]\ninstances: []\n");
        WorldFile.WorldFileException e = org.junit.jupiter.api.Assertions.assertThrows(
                WorldFile.WorldFileException.class, () -> WorldFile.read(bad));
        assertEquals(bad + ": project_id: expected a non-empty text", e.getMessage());
    }

    @Test
    void authFail_theNextCallsAnswer401_areNotCarriedOut_thenCallsAreServed() throws Exception {
        try (Simulator sim = start(world(null), SimulatorOptions.defaults())) {
            SimulatorWireClient client = new SimulatorWireClient(sim);
            sim.failAuthentication(2);
            HttpResponse<String> first = client.send("POST", EU + "/domains/dom1/certificate", body);
            assertEquals(401, first.statusCode(), first.body());
            assertEquals("APIG.1002", code(first));
            HttpResponse<String> signed = send(sim, "GET", EU, "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host,"
                    + " Signature=00");
            assertEquals(401, signed.statusCode());
            assertEquals("APIGW.0301", code(signed), "an AK/SK call is refused as a bad signature");
            assertNull(sim.world().domains().get(0).sslId(), "the refused write was not carried out");
            assertEquals(201, client.send("POST", EU + "/domains/dom1/certificate", body).statusCode());
            assertEquals(2, sim.authenticationFailures());
            JsonNode state = client.state();
            assertEquals(2, state.path("counters").path("faults").path("auth").asLong());
            assertFalse(state.path("auth_fail").path("active").asBoolean());
        }
    }

    @Test
    void authFail_forAWindow_onTheSimulatorsClock_endsWithIt() throws Exception {
        SimulatorWriteTimingTest.ManualClock clock = new SimulatorWriteTimingTest.ManualClock();
        try (Simulator sim = start(world(null), SimulatorOptions.defaults().withClock(clock))) {
            SimulatorWireClient client = new SimulatorWireClient(sim);
            sim.failAuthenticationFor(Duration.ofSeconds(30));
            for (int i = 0; i < 3; i++) {
                assertEquals(401, client.send("GET", EU, null).statusCode());
            }
            clock.advance(Duration.ofSeconds(29));
            assertEquals(401, client.send("GET", EU, null).statusCode());
            assertTrue(client.state().path("auth_fail").path("active").asBoolean());
            clock.advance(Duration.ofSeconds(2));
            assertEquals(200, client.send("GET", EU, null).statusCode());
            assertEquals(4, sim.authenticationFailures());
        }
    }

    @Test
    void authFail_switchedOnAndOffThroughTheAdminEndpoint_coversDnsToo_andRefusesABadBody() throws Exception {
        try (Simulator sim = start(world(null), SimulatorOptions.defaults())) {
            SimulatorWireClient client = new SimulatorWireClient(sim);
            JsonNode on = client.json("POST", "/_simulator/auth-fail", "{\"on\": true}");
            assertTrue(on.path("active").asBoolean(), on.toString());
            assertTrue(on.path("until_restored").asBoolean(), on.toString());
            for (int i = 0; i < 5; i++) {
                assertEquals(401, client.send("GET", EU, null).statusCode());
            }
            assertEquals(401, client.send("GET", "/v2/zones?type=public", null).statusCode(), "DNS calls too");
            assertEquals(200, client.send("GET", "/_simulator/state", null).statusCode(), "never the admin ones");
            assertFalse(client.json("POST", "/_simulator/auth-fail", "{\"on\": false}").path("active").asBoolean());
            assertEquals(200, client.send("GET", EU, null).statusCode());

            assertEquals(1, client.json("POST", "/_simulator/auth-fail", "{\"calls\": 1}").path("calls_left").asInt());
            assertEquals(401, client.send("GET", EU, null).statusCode());
            assertEquals(200, client.send("GET", EU, null).statusCode());

            for (String wrong : new String[] {"{}", "{\"calls\": -1}", "{\"calls\": 1, \"on\": true}",
                    "{\"seconds\": \"ten\"}", "{\"on\": 1}", "{\"forever\": true}"}) {
                HttpResponse<String> refused = client.send("POST", "/_simulator/auth-fail", wrong);
                assertEquals(400, refused.statusCode(), wrong + ": " + refused.body());
                assertEquals("APIG.2012", code(refused), wrong);
            }
            assertEquals(200, client.send("GET", EU, null).statusCode(), "a refused request changes nothing");
        }
    }

    @Test
    void faults_belongToOneSimulator_notToTheProcess() throws Exception {
        Faults throttled = Faults.none().withRates(0, 1, 0, 0);
        try (Simulator slow = start(world("proj-a"), SimulatorOptions.defaults().withFaults(throttled));
             Simulator healthy = start(world("proj-eu"), SimulatorOptions.defaults())) {
            slow.failAuthenticationUntilRestored();
            assertEquals(200, new SimulatorWireClient(healthy).send("GET", EU, null).statusCode(),
                    "neither the other's throttling nor its outage reaches this one");
            slow.restoreAuthentication();
            HttpResponse<String> answer = new SimulatorWireClient(slow)
                    .send("GET", EU.replace("proj-eu", "proj-a"), null);
            assertEquals(429, answer.statusCode(), answer.body());
            assertEquals(0, new SimulatorWireClient(healthy).state().path("counters").path("faults").path("throttle")
                    .asLong());
        }
    }

    private static HttpResponse<String> send(Simulator sim, String method, String path, String authorization)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                .header("Authorization", authorization).header("X-Sdk-Date", "20261207T000000Z")
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
