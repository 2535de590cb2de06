package io.certform.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulator accepts the published SDK-HMAC-SHA256 vector, and refuses what the gateway refuses. */
class SignatureVerificationTest {

    private static final Instant SIGNED_AT = Instant.parse("2019-11-15T03:36:55Z");
    private static final String VECTOR_SIGNATURE = "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe";

    private static String send(Instant now, String signature, String date) throws Exception {
        SimulatorOptions options = SimulatorOptions.defaults().withClock(Clock.fixed(now, ZoneOffset.UTC))
                .withKeys(Map.of("QTWAOYTTINDUT2QVKYUC",
                        new SimulatorOptions.AccessKey("MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc", null)));
        try (Simulator simulator = Simulator.start(new World(), options, 0);
             Socket socket = new Socket("127.0.0.1", simulator.port())) {
            String request = "GET /v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0"
                    + " HTTP/1.1\r\nHost: service.region.example.com\r\nContent-Type: application/json\r\n"
                    + "X-Sdk-Date: " + date + "\r\nAuthorization: SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC,"
                    + " SignedHeaders=content-type;host;x-sdk-date, Signature=" + signature + "\r\n"
                    + "Connection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void publishedVector_isAccepted_thenThePathIsJudged() throws Exception {
        String answer = send(SIGNED_AT.plusSeconds(30), VECTOR_SIGNATURE, "20191115T033655Z");
        assertTrue(answer.startsWith("HTTP/1.1 404"), "authenticated; the path is not a gateway call: " + answer);
        assertTrue(answer.contains("APIG.0101"), answer);
    }

    @Test
    void alteredSignature_isAPIGW0301() throws Exception {
        String answer = send(SIGNED_AT, VECTOR_SIGNATURE.replace('7', '8'), "20191115T033655Z");
        assertTrue(answer.startsWith("HTTP/1.1 401"), answer);
        assertTrue(answer.contains("APIGW.0301") && answer.contains("the signature does not match"), answer);
    }

    @Test
    void dateMoreThan15MinutesOff_isAPIGW0303() throws Exception {
        String answer = send(SIGNED_AT.plus(Duration.ofMinutes(16)), VECTOR_SIGNATURE, "20191115T033655Z");
        assertTrue(answer.startsWith("HTTP/1.1 401"), answer);
        assertTrue(answer.contains("APIGW.0303"), answer);
        assertEquals(true, send(SIGNED_AT.minus(Duration.ofMinutes(14)), VECTOR_SIGNATURE, "20191115T033655Z")
                .startsWith("HTTP/1.1 404"), "14 minutes is within the window");
    }
}
