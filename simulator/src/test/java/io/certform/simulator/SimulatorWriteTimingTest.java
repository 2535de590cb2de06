package io.certform.simulator;

import static io.certform.simulator.SimulatorWireClient.GROUP;
import static io.certform.simulator.SimulatorWireClient.JSON;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.testkit.TestCertificates;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Writes that land after the client gave up (slow, late), reads that lag behind writes, and faults on reads:
 * what the real service can do, seen from the wire.
 */
class SimulatorWriteTimingTest {

    private static final String CERT = GROUP + "/domains/dom0/certificate";
    private static String body;
    private static String otherBody;

    @BeforeAll
    static void certificates() {
        TestCertificates.Authority ca = TestCertificates.authority("Timing CA");
        body = SimulatorWireClient.certificateBody("wildcard_cert", ca.issue("*.example.com"), null);
        otherBody = SimulatorWireClient.certificateBody("renewed_cert", ca.issue("*.example.com"), null);
    }

    /** A clock a test moves by hand. */
    static final class ManualClock extends Clock {
        private volatile Instant now = Instant.now();

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private static Simulator start(SimulatorOptions options) throws IOException {
        World world = new World();
        for (int i = 0; i < 10; i++) {
            world.addDomain("inst1", "grp1", "dom" + i, "d" + i + ".example.com");
        }
        return Simulator.start(world, options.withTokens(Set.of("tok")), 0);
    }

    private static Simulator start(Faults faults, long seed) throws IOException {
        return start(SimulatorOptions.defaults().withSeed(seed).withFaults(faults));
    }

    @Test
    void slowWrite_landsOnlyAtTheEndOfItsHold_afterAnImpatientClientGaveUp() throws Exception {
        try (Simulator sim = start(Faults.none().withSlowWrites(1, Duration.ofMillis(800)), 1)) {
            SimulatorWireClient client = new SimulatorWireClient(sim);
            assertThrows(HttpTimeoutException.class, () -> client.send("POST", CERT, body, Duration.ofMillis(200)));
            JsonNode during = client.state();
            assertEquals(0, during.path("counters").path("certificates_created").asInt(), "not landed yet");
            assertEquals(1, during.path("counters").path("writes_pending").asInt());
            assertEquals(1, during.path("counters").path("faults").path("slow").asInt());
            assertTrue(during.path("domains").get(0).path("ssl_id").isNull());

            JsonNode after = client.awaitNoPendingWrites(Duration.ofSeconds(10));
            assertEquals(1, after.path("counters").path("certificates_created").asInt(), "the write landed anyway");
            assertTrue(after.path("domains").get(0).path("ssl_id").isString());
        }
    }

    @Test
    void slowWrite_isAnsweredAfterItsHold_toAPatientClient() throws Exception {
        try (Simulator sim = start(Faults.none().withSlowWrites(1, Duration.ofMillis(300)), 1)) {
            long start = System.nanoTime();
            HttpResponse<String> answer = new SimulatorWireClient(sim).send("POST", CERT, body);
            assertEquals(201, answer.statusCode());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 300, "held for the slow time");
        }
    }

    @Test
    void lateWrite_losesItsAnswerAtOnce_andLandsLater() throws Exception {
        try (Simulator sim = start(Faults.none().withLateWrites(1, Duration.ofMillis(500)), 1)) {
            SimulatorWireClient client = new SimulatorWireClient(sim);
            assertThrows(IOException.class, () -> client.send("POST", CERT, body));
            JsonNode during = client.state();
            assertEquals(0, during.path("counters").path("certificates_created").asInt(), "not landed yet");
            assertEquals(1, during.path("counters").path("writes_pending").asInt());
            assertEquals(1, during.path("counters").path("faults").path("late").asInt());

            JsonNode after = client.awaitNoPendingWrites(Duration.ofSeconds(10));
            assertEquals(1, after.path("counters").path("certificates_created").asInt(), "the write landed later");
            assertEquals(0, after.path("counters").path("writes_pending").asInt());
        }
    }

    @Test
    void lateDelete_landsLater_too() throws Exception {
        try (Simulator sim = start(Faults.none().withLateWrites(1, Duration.ofMillis(200)), 1)) {
            SimulatorWireClient client = new SimulatorWireClient(sim);
            assertThrows(IOException.class, () -> client.send("POST", CERT, body));
            String sslId = client.awaitNoPendingWrites(Duration.ofSeconds(10)).path("domains").get(0)
                    .path("ssl_id").asString();
            assertThrows(IOException.class, () -> client.send("DELETE", CERT + "/" + sslId, null));
            assertEquals(sslId, client.state().path("domains").get(0).path("ssl_id").asString(), "still bound");
            assertTrue(client.awaitNoPendingWrites(Duration.ofSeconds(10)).path("domains").get(0).path("ssl_id")
                    .isNull(), "the delete landed");
        }
    }

    @Test
    void writeOnlyFaults_leaveReadsUnharmed() throws Exception {
        for (Faults faults : new Faults[] {Faults.none().withRates(0, 0, 1, 0),
                Faults.none().withSlowWrites(1, Duration.ofSeconds(30)),
                Faults.none().withLateWrites(1, Duration.ofSeconds(30))}) {
            try (Simulator sim = start(faults, 1)) {
                SimulatorWireClient client = new SimulatorWireClient(sim);
                assertEquals(200, client.send("GET", GROUP, null, Duration.ofSeconds(5)).statusCode(), "" + faults);
                assertEquals(0, client.state().path("counters").path("writes_pending").asInt());
            }
        }
    }

    @Test
    void errorsThrottlesAndStalls_hitGroupReads() throws Exception {
        try (Simulator sim = start(Faults.none().withRates(1, 0, 0, 0), 1)) {
            HttpResponse<String> r = new SimulatorWireClient(sim).send("GET", GROUP, null);
            assertTrue(r.statusCode() == 500 || r.statusCode() == 503, "status " + r.statusCode());
            assertEquals("APIG.9999", JSON.readTree(r.body()).path("error_code").asString());
        }
        try (Simulator sim = start(Faults.none().withRates(0, 1, 0, 0), 1)) {
            assertEquals(429, new SimulatorWireClient(sim).send("GET", GROUP, null).statusCode());
        }
        try (Simulator sim = start(Faults.none().withRates(0, 0, 0, 1).withStallTime(Duration.ofSeconds(3)), 1)) {
            SimulatorWireClient client = new SimulatorWireClient(sim);
            assertThrows(HttpTimeoutException.class, () -> client.send("GET", GROUP, null, Duration.ofMillis(300)));
            assertEquals(1, client.state().path("counters").path("faults").path("stall").asInt());
        }
        try (Simulator sim = start(Faults.none().withLatency(Duration.ofMillis(150), Duration.ofMillis(150)), 1)) {
            long start = System.nanoTime();
            assertEquals(200, new SimulatorWireClient(sim).send("GET", GROUP, null).statusCode());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 150, "the group read was delayed");
        }
    }

    @Test
    void sameSeed_sameSlowAndLateWrites() throws Exception {
        Faults mixed = Faults.none().withRates(0.2, 0, 0, 0).withLateWrites(0.3, Duration.ofMillis(50))
                .withSlowWrites(0.2, Duration.ofMillis(50));
        int[] first = outcomes(mixed, 5);
        assertArrayEquals(first, outcomes(mixed, 5));
        assertTrue(java.util.Arrays.stream(first).distinct().count() >= 3, "a mix of outcomes");
    }

    /** Per call: -1 when the answer was lost, else the status (503 counted as 500); then the fault counts. */
    private int[] outcomes(Faults faults, long seed) throws Exception {
        try (Simulator sim = start(faults, seed)) {
            SimulatorWireClient client = new SimulatorWireClient(sim);
            int[] out = new int[13];
            for (int i = 0; i < 10; i++) {
                try {
                    int status = client.send("POST", GROUP + "/domains/dom" + i + "/certificate", body).statusCode();
                    out[i] = status == 503 ? 500 : status;
                } catch (IOException lost) {
                    out[i] = -1;
                }
            }
            JsonNode counters = client.awaitNoPendingWrites(Duration.ofSeconds(10)).path("counters");
            out[10] = counters.path("faults").path("slow").asInt();
            out[11] = counters.path("faults").path("late").asInt();
            out[12] = counters.path("certificates_created").asInt();
            return out;
        }
    }

    @Test
    void readLag_readsShowAWriteOnlyOnceTheLagPassed_whileTheStateShowsItAtOnce() throws Exception {
        ManualClock clock = new ManualClock();
        Duration lag = Duration.ofSeconds(5);
        try (Simulator sim = start(SimulatorOptions.defaults().withSeed(1).withClock(clock)
                .withFaults(Faults.none().withReadLag(lag)))) {
            SimulatorWireClient client = new SimulatorWireClient(sim);
            String first = client.json("POST", CERT, body).path("ssl_id").asString();
            assertEquals(first, client.state().path("domains").get(0).path("ssl_id").asString(), "the truth");
            assertEquals("", client.groupDomain(0).path("ssl_id").asString(), "the group does not show it yet");
            assertEquals("APIG.3021", client.json("GET", CERT + "/" + first, null).path("error_code").asString());

            clock.advance(lag);
            assertEquals(first, client.groupDomain(0).path("ssl_id").asString(), "shown once the lag passed");
            assertEquals(200, client.send("GET", CERT + "/" + first, null).statusCode());

            String second = client.json("POST", CERT, otherBody).path("ssl_id").asString();
            clock.advance(Duration.ofSeconds(2));
            assertEquals(first, client.groupDomain(0).path("ssl_id").asString(), "the old binding, still");
            assertEquals(200, client.send("GET", CERT + "/" + first, null).statusCode());
            clock.advance(Duration.ofSeconds(3));
            assertEquals(second, client.groupDomain(0).path("ssl_id").asString());

            assertEquals(204, client.send("DELETE", CERT + "/" + second, null).statusCode());
            assertEquals(second, client.groupDomain(0).path("ssl_id").asString(), "a delete lags too");
            assertTrue(client.state().path("domains").get(0).path("ssl_id").isNull());
            clock.advance(lag);
            assertEquals("", client.groupDomain(0).path("ssl_id").asString());
        }
    }

    @Test
    void readLag_neverGoesBackInTime_whenWritesFollowEachOtherWithinTheLag() throws Exception {
        ManualClock clock = new ManualClock();
        try (Simulator sim = start(SimulatorOptions.defaults().withSeed(1).withClock(clock)
                .withFaults(Faults.none().withReadLag(Duration.ofSeconds(4))))) {
            SimulatorWireClient client = new SimulatorWireClient(sim);
            client.json("POST", CERT, body);
            clock.advance(Duration.ofSeconds(2));
            String second = client.json("POST", CERT, otherBody).path("ssl_id").asString();
            clock.advance(Duration.ofSeconds(3));
            assertEquals("", client.groupDomain(0).path("ssl_id").asString(),
                    "what readers saw when the second write landed, until its own lag passed");
            clock.advance(Duration.ofSeconds(1));
            assertEquals(second, client.groupDomain(0).path("ssl_id").asString());
        }
    }
}
