package io.certform.apply;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.certform.api.ApiException;
import io.certform.api.Endpoint;
import io.certform.api.GatewayClient;
import io.certform.api.TestHttp;
import io.certform.api.TokenAuth;
import io.certform.cert.CertificateInfo;
import io.certform.base.Secret;
import io.certform.base.Service;
import io.certform.plan.CertificateMaterial;
import io.certform.plan.DesiredBinding;
import io.certform.plan.Plan;
import io.certform.plan.Planner;
import io.certform.state.local.LocalStateStore;
import io.certform.state.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The executor's retries against scripted answers: what is sent, how often, and how long it waits. */
class ApplierRetryTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String POST_PATH = "/v2/p/apic/instances/i/api-groups/g/domains/d/certificate";
    private static final String GROUP_PATH = "/v2/p/apic/instances/i/api-groups/g";
    private static final String CREATED = "{\"id\":\"d\",\"url_domain\":\"api.example.com\",\"ssl_id\":\"new1\","
            + "\"ssl_name\":\"cert_a\"}";

    private static final Duration SETTLE_WINDOW = Duration.ofSeconds(10);
    private static final String OURS = "\"name\":\"cert_a\",\"serial_number\":\"5A01\",\"not_after\":"
            + "\"2031-01-01T00:00:00Z\",\"type\":\"global\",\"is_has_trusted_root_ca\":false";

    @TempDir
    Path dir;

    private final List<Duration> slept = Collections.synchronizedList(new ArrayList<>());
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-28T00:00:00Z"), ZoneOffset.UTC);

    private static DesiredBinding desired() {
        CertificateInfo info = new CertificateInfo("a".repeat(64), "b".repeat(64), "5a01",
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2031-01-01T00:00:00Z"), "RSA", "RSA 2048",
                "api.example.com", List.of("api.example.com"), "CA", "SHA256WITHRSA");
        return new DesiredBinding("a[api.example.com]", "a", new DesiredBinding.Domain("i", "g", "d", "api.example.com"),
                new DesiredBinding.Upload("cert_a", "global", null, info, null,
                        new CertificateMaterial("PEM", new Secret("KEY", "k", null), null)), null);
    }

    private ApplyResult apply(int maxAttempts) throws Exception {
        GatewayClient client = new GatewayClient(TestHttp.client(new TokenAuth("t"), Duration.ofSeconds(5)),
                new Endpoint(wm.baseUrl(), "p", Service.ROMA));
        LocalStateStore store = new LocalStateStore(dir.resolve("s.json"), "t");
        Applier applier = new Applier(client, store,
                new Applier.Settings(2, new Backoff(maxAttempts, Duration.ofMillis(100), Duration.ofSeconds(5)), null,
                        SETTLE_WINDOW), clock, slept::add, new Random(1), new ApplyListener() {
                    public void started(io.certform.plan.ResourceChange c) { }

                    public void completed(io.certform.plan.ResourceChange c, String s, Duration d, String n) { }

                    public void failed(io.certform.plan.ResourceChange c, ApiException e) { }

                    public void skipped(io.certform.plan.ResourceChange c, String w) { }

                    public void unknown(io.certform.plan.ResourceChange c, String w) { }
                });
        State prior = store.read();
        Plan plan = Planner.plan(List.of(desired()), prior);
        return applier.apply(plan, prior);
    }

    private void groupAnswers(String sslId) {
        wm.stubFor(get(GROUP_PATH).willReturn(aResponse().withStatus(200).withBody(
                "{\"id\":\"g\",\"url_domains\":[{\"id\":\"d\",\"domain\":\"api.example.com\",\"ssl_id\":\"" + sslId
                        + "\",\"ssl_name\":\"\"}]}")));
    }

    @Test
    void serverErrors_thenSuccess_checkBeforeEachResend_andBackOffWithinTheCap() throws Exception {
        wm.stubFor(post(POST_PATH).inScenario("s").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody("{\"error_code\":\"APIG.9999\",\"error_msg\":\"busy\"}"))
                .willSetStateTo("second"));
        wm.stubFor(post(POST_PATH).inScenario("s").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(503).withBody("{\"error_code\":\"APIG.9999\",\"error_msg\":\"busy\"}"))
                .willSetStateTo("third"));
        wm.stubFor(post(POST_PATH).inScenario("s").whenScenarioStateIs("third")
                .willReturn(aResponse().withStatus(201).withBody(CREATED)));
        groupAnswers("");
        ApplyResult result = apply(5);
        assertTrue(result.ok(), result.failures().toString());
        wm.verify(3, postRequestedFor(urlEqualTo(POST_PATH)));
        wm.verify(2, getRequestedFor(urlEqualTo(GROUP_PATH)));
        assertEquals(2, slept.size());
        assertTrue(slept.get(0).toMillis() <= 100 && slept.get(1).toMillis() <= 200, "full jitter under 100 then 200 ms: "
                + slept);
        assertEquals("new1", result.state().resources().get(0).sslId());
        assertEquals(2, result.stats().retries());
        assertFalse(Files.exists(dir.resolve("s.json.journal")), "the journal is compacted away at the end");
    }

    @Test
    void throttled_honoursRetryAfter_andDoesNotNeedACheck() throws Exception {
        wm.stubFor(post(POST_PATH).inScenario("t").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")
                        .withBody("{\"error_code\":\"APIGW.0308\",\"error_msg\":\"over ratelimit\"}"))
                .willSetStateTo("ok"));
        wm.stubFor(post(POST_PATH).inScenario("t").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(201).withBody(CREATED)));
        ApplyResult result = apply(5);
        assertTrue(result.ok());
        assertEquals(List.of(Duration.ofSeconds(3)), slept);
        wm.verify(0, getRequestedFor(urlEqualTo(GROUP_PATH)));
        assertEquals(1, result.stats().throttles());
    }

    @Test
    void lostAnswer_isFoundLanded_andNotSentAgain() throws Exception {
        wm.stubFor(post(POST_PATH).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        groupAnswers("landed1");
        wm.stubFor(get(POST_PATH + "/landed1").willReturn(aResponse().withStatus(200).withBody(
                "{\"id\":\"landed1\"," + OURS + "}")));
        ApplyResult result = apply(5);
        assertTrue(result.ok(), result.failures().toString());
        wm.verify(1, postRequestedFor(urlEqualTo(POST_PATH)));
        assertEquals("landed1", result.state().resources().get(0).sslId());
        assertTrue(slept.isEmpty());
    }

    @Test
    void lostAnswer_effectNeverShows_isNotSentAgain_andStaysUnknown() throws Exception {
        wm.stubFor(post(POST_PATH).inScenario("o").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("ok"));
        wm.stubFor(post(POST_PATH).inScenario("o").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(201).withBody(CREATED)));
        groupAnswers("someone_elses");
        wm.stubFor(get(POST_PATH + "/someone_elses").willReturn(aResponse().withStatus(200).withBody(
                "{\"id\":\"someone_elses\",\"name\":\"other\",\"serial_number\":\"99\"}")));
        ApplyResult result = apply(5);
        wm.verify(1, postRequestedFor(urlEqualTo(POST_PATH)));
        assertEquals(1, result.unknown().size(), result.failures().toString());
        assertTrue(result.state().resources().isEmpty(), "someone else's certificate is not adopted");
        assertEquals(1, io.certform.state.JournalRecord.openIntents(
                new LocalStateStore(dir.resolve("s.json"), "t").journal()).size(),
                "the intent stays open for the next run");
        assertEquals(SETTLE_WINDOW.toMillis(), slept.stream().mapToLong(Duration::toMillis).sum(),
                "looked for the effect for exactly the settle window: " + slept);
    }

    @Test
    void lostAnswer_sameNameAndSerialButClientCaOff_isNotMistakenForOurs() throws Exception {
        wm.stubFor(post(POST_PATH).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        groupAnswers("look_alike");
        wm.stubFor(get(POST_PATH + "/look_alike").willReturn(aResponse().withStatus(200).withBody(
                "{\"id\":\"look_alike\"," + OURS.replace("\"type\":\"global\"", "\"type\":\"instance\"") + "}")));
        ApplyResult result = apply(5);
        wm.verify(1, postRequestedFor(urlEqualTo(POST_PATH)));
        assertEquals(1, result.unknown().size(), "a certificate of another type is not ours");
        assertTrue(result.state().resources().isEmpty());
    }

    @Test
    void clientErrors_areNeverRetried() throws Exception {
        wm.stubFor(post(POST_PATH).willReturn(aResponse().withStatus(400)
                .withBody("{\"error_code\":\"APIG.2101\",\"error_msg\":\"mismatch\"}")));
        ApplyResult result = apply(5);
        assertEquals("APIG.2101", result.failures().get(0).error().errorCode());
        wm.verify(1, postRequestedFor(urlEqualTo(POST_PATH)));
        assertTrue(slept.isEmpty());
        assertTrue(result.state().resources().isEmpty());
        assertFalse(Files.exists(dir.resolve("s.json.journal")), "a refused call leaves no open intent");
    }

    @Test
    void retriesRunOut_theFailureIsReported() throws Exception {
        wm.stubFor(post(POST_PATH).willReturn(aResponse().withStatus(500)
                .withBody("{\"error_code\":\"APIG.9999\",\"error_msg\":\"System error\"}")));
        groupAnswers("");
        ApplyResult result = apply(3);
        assertEquals(1, result.failures().size());
        wm.verify(3, postRequestedFor(urlEqualTo(POST_PATH)));
        assertEquals(2, slept.size());
    }
}
