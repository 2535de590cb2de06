package io.certform.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.testkit.TestCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Fault injection, seen from the wire. */
class SimulatorFaultsTest {

    private static final int DOMAINS = 20;
    private static String body;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeAll
    static void certificate() {
        TestCertificates.Issued wildcard = TestCertificates.authority("Fault CA").issue("*.example.com");
        ObjectNode node = JSON.createObjectNode();
        node.put("name", "wildcard_cert");
        node.put("cert_content", wildcard.chainPem());
        node.put("private_key", wildcard.privateKeyPem());
        body = node.toString();
    }

    private static Simulator start(Faults faults, long seed) throws IOException {
        World world = new World();
        for (int i = 0; i < DOMAINS; i++) {
            world.addDomain("inst1", "grp1", "dom" + i, "d" + i + ".example.com");
        }
        return Simulator.start(world, SimulatorOptions.defaults().withTokens(Set.of("tok")).withSeed(seed)
                .withFaults(faults), 0);
    }

    private HttpResponse<String> post(Simulator sim, int domain, Duration timeout) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sim.baseUrl()
                        + "/v2/p/apic/instances/inst1/api-groups/grp1/domains/dom" + domain + "/certificate"))
                .header("X-Auth-Token", "tok").timeout(timeout).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode state(Simulator sim) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/_simulator/state"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void errorRate_answers500or503_withoutEffect() throws Exception {
        try (Simulator sim = start(Faults.none().withRates(1, 0, 0, 0), 1)) {
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> r = post(sim, i, Duration.ofSeconds(5));
                assertTrue(r.statusCode() == 500 || r.statusCode() == 503, "status " + r.statusCode());
                assertEquals("APIG.9999", JSON.readTree(r.body()).path("error_code").asString());
            }
            assertEquals(0, state(sim).path("counters").path("certificates_created").asInt());
            assertEquals(6, state(sim).path("counters").path("faults").path("error").asInt());
            assertEquals(6, state(sim).path("counters").path("requests").path("POST").asInt(),
                    "faulted requests are counted too");
        }
    }

    @Test
    void throttleRate_answers429_withRetryAfter_withoutEffect() throws Exception {
        try (Simulator sim = start(Faults.none().withRates(0, 1, 0, 0).withRetryAfter(Duration.ofSeconds(2)), 1)) {
            HttpResponse<String> r = post(sim, 0, Duration.ofSeconds(5));
            assertEquals(429, r.statusCode());
            assertEquals("2", r.headers().firstValue("Retry-After").orElseThrow());
            JsonNode error = JSON.readTree(r.body());
            assertEquals("APIGW.0308", error.path("error_code").asString());
            assertTrue(error.path("error_msg").asString().contains("policy user over ratelimit"));
            assertEquals(0, state(sim).path("counters").path("certificates_created").asInt());
        }
    }

    @Test
    void dropRate_commitsTheChange_thenClosesTheConnectionWithoutAnAnswer() throws Exception {
        try (Simulator sim = start(Faults.none().withRates(0, 0, 1, 0), 1)) {
            assertThrows(IOException.class, () -> post(sim, 0, Duration.ofSeconds(5)));
            JsonNode state = state(sim);
            assertEquals(1, state.path("counters").path("certificates_created").asInt(), "the change was made");
            assertTrue(state.path("domains").get(0).path("ssl_id").isString(), "dom0 now carries a certificate");
        }
    }

    @Test
    void naiveClient_thatResendsOnALostAnswer_createsDuplicates_andTheStateShowsIt() throws Exception {
        try (Simulator sim = start(Faults.none().withRates(0, 0, 0.4, 0), 7)) {
            int attempts = 0;
            for (int i = 0; i < DOMAINS; i++) {
                while (true) {
                    attempts++;
                    try {
                        if (post(sim, i, Duration.ofSeconds(5)).statusCode() == 201) {
                            break;
                        }
                    } catch (IOException lost) {
                        // a naive client: the answer was lost, so it sends the same POST again
                    }
                }
            }
            JsonNode state = state(sim);
            int created = state.path("counters").path("certificates_created").asInt();
            int drops = state.path("counters").path("faults").path("drop").asInt();
            assertTrue(drops > 0, "the seed yields some drops");
            assertEquals(DOMAINS + drops, created, "every lost answer became a duplicate certificate");
            assertEquals(attempts, created, "every attempt created one");
            long domainsWithDuplicates = 0;
            for (JsonNode d : state.path("domains")) {
                if (d.path("certificates_bound").asInt() > 1) {
                    domainsWithDuplicates++;
                }
            }
            assertTrue(domainsWithDuplicates > 0, "the per-domain history shows the duplicates");
        }
    }

    @Test
    void stallRate_leavesTheCallUnanswered_pastTheClientTimeout_whileStateStillAnswers() throws Exception {
        try (Simulator sim = start(Faults.none().withRates(0, 0, 0, 1).withStallTime(Duration.ofSeconds(3)), 1)) {
            assertThrows(HttpTimeoutException.class, () -> post(sim, 0, Duration.ofMillis(300)));
            JsonNode state = state(sim);
            assertEquals(0, state.path("counters").path("certificates_created").asInt());
            assertEquals(1, state.path("counters").path("faults").path("stall").asInt());
        }
    }

    @Test
    void lostWrites_areClosedWithoutAnAnswer_andNeverCarriedOut_thenWritesLandAgain() throws Exception {
        try (Simulator sim = start(Faults.none(), 1)) {
            sim.loseWrites(1);
            assertThrows(IOException.class, () -> post(sim, 0, Duration.ofSeconds(5)));
            JsonNode lost = state(sim);
            assertEquals(0, lost.path("counters").path("certificates_created").asInt(), "the lost write had no effect");
            assertEquals(1, lost.path("counters").path("faults").path("lost").asInt());
            assertTrue(sim.world().domains().get(0).bare(), sim.world().domains().get(0).toString());

            assertEquals(201, post(sim, 0, Duration.ofSeconds(5)).statusCode(), "only the next write was lost");
            assertEquals(1, state(sim).path("counters").path("certificates_created").asInt());
        }
    }

    @Test
    void hollowAnswers_carryTheWriteOut_andAnswerASuccessWithoutItsIds_thenWritesAnswerInFull() throws Exception {
        try (Simulator sim = start(Faults.none(), 1)) {
            sim.answerWritesHollow(2, Simulator.HollowAnswer.EMPTY_OBJECT);
            HttpResponse<String> empty = post(sim, 0, Duration.ofSeconds(5));
            assertEquals(201, empty.statusCode());
            assertEquals("{}", empty.body(), "a hollow answer names nothing");
            assertFalse(sim.world().domains().get(0).bare(), "the write was carried out");

            sim.answerWritesHollow(1, Simulator.HollowAnswer.NO_BODY);
            HttpResponse<String> none = post(sim, 1, Duration.ofSeconds(5));
            assertEquals(200, none.statusCode());
            assertEquals("", none.body(), "no body at all");
            assertFalse(sim.world().domains().get(1).bare(), "the write was carried out");

            HttpResponse<String> full = post(sim, 2, Duration.ofSeconds(5));
            assertEquals(201, full.statusCode(), "only the scripted writes are answered hollow");
            assertEquals(sim.world().domains().get(2).sslId(), JSON.readTree(full.body()).path("ssl_id").asString());
        }
    }

    @Test
    void heldWrites_landOnlyWhenReleased_afterTheClientGaveUp_orAreLost_thenWritesLandAgain() throws Exception {
        try (Simulator sim = start(Faults.none(), 1)) {
            sim.holdWrites(2);
            assertThrows(HttpTimeoutException.class, () -> post(sim, 0, Duration.ofMillis(300)),
                    "a held write is not answered");
            assertTrue(sim.awaitHeldWrites(1, Duration.ofSeconds(30)), "the write is held");
            assertEquals(1, sim.requests("POST"), "a held write is counted as received");
            assertTrue(sim.world().domains().get(0).bare(), "a held write is not carried out before it is released: "
                    + sim.world().domains().get(0));
            assertEquals(1, state(sim).path("counters").path("writes_pending").asInt(), "a held write is pending");
            assertEquals(1, sim.landHeldWrites());
            assertFalse(sim.world().domains().get(0).bare(), "a landed write is in the world when landHeldWrites"
                    + " returns");
            assertTrue(sim.awaitWritesLanded(Duration.ofSeconds(5)));

            java.util.concurrent.CompletableFuture<Object> second = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return post(sim, 1, Duration.ofSeconds(30));
                        } catch (Exception e) {
                            return e;
                        }
                    });
            assertTrue(sim.awaitHeldWrites(1, Duration.ofSeconds(30)), "the second write is held");
            assertEquals(1, sim.loseHeldWrites());
            assertTrue(second.get(30, java.util.concurrent.TimeUnit.SECONDS) instanceof IOException,
                    "a lost held write is closed without an answer: " + second.get());
            assertTrue(sim.world().domains().get(1).bare(), "a lost held write has no effect");

            assertEquals(201, post(sim, 2, Duration.ofSeconds(5)).statusCode(), "only two writes were held");
            assertEquals(2, state(sim).path("counters").path("certificates_created").asInt(),
                    "the landed write and the one after the holds; the lost one never");
        }
    }

    @Test
    void awaitReadsShowWrites_waitsUntilTheReadLagHasPassedSinceTheLastWrite() throws Exception {
        io.certform.testkit.StepClock clock = new io.certform.testkit.StepClock(java.time.Instant.parse(
                "2026-01-01T00:00:00Z"));
        World world = new World();
        world.addDomain("inst1", "grp1", "dom0", "d0.example.com");
        try (Simulator sim = Simulator.start(world, SimulatorOptions.defaults().withTokens(Set.of("tok")).withSeed(1)
                .withClock(clock).withFaults(Faults.none().withReadLag(Duration.ofSeconds(5))), 0)) {
            assertTrue(sim.awaitReadsShowWrites(Duration.ZERO), "nothing written yet");
            assertEquals(201, post(sim, 0, Duration.ofSeconds(5)).statusCode());
            clock.advance(Duration.ofMillis(4999));
            assertFalse(sim.awaitReadsShowWrites(Duration.ZERO), "reads still lag the write");
            clock.advance(Duration.ofMillis(1));
            assertTrue(sim.awaitReadsShowWrites(Duration.ZERO), "the read lag has passed");
        }
    }

    @Test
    void latency_delaysCertificateCalls() throws Exception {
        try (Simulator sim = start(Faults.none().withLatency(Duration.ofMillis(150), Duration.ofMillis(150)), 1)) {
            long start = System.nanoTime();
            assertEquals(201, post(sim, 0, Duration.ofSeconds(5)).statusCode());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 150, "the injected delay was applied");
        }
    }

    @Test
    void sameSeed_sameFaults() throws Exception {
        Faults mixed = Faults.none().withRates(0.3, 0.3, 0, 0);
        int[] first = statuses(mixed, 99);
        int[] second = statuses(mixed, 99);
        assertArrayEquals(first, second);
        assertTrue(java.util.Arrays.stream(first).distinct().count() >= 3, "a mix of outcomes");
    }

    private int[] statuses(Faults faults, long seed) throws Exception {
        try (Simulator sim = start(faults, seed)) {
            int[] out = new int[DOMAINS];
            for (int i = 0; i < DOMAINS; i++) {
                int status = post(sim, i, Duration.ofSeconds(5)).statusCode();
                out[i] = status == 503 ? 500 : status; // 500 vs 503 is drawn separately; the fault kind is what repeats
            }
            return out;
        }
    }

    @Test
    void faultSettings_areChecked() {
        assertEquals("the fault rates add up to more than 1",
                assertThrows(IllegalArgumentException.class, () -> Faults.none().withRates(0.6, 0.6, 0, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Faults.none().withRates(-0.1, 0, 0, 0));
    }
}
