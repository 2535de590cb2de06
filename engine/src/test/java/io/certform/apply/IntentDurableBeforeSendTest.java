package io.certform.apply;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.certform.api.ApiException;
import io.certform.api.Endpoint;
import io.certform.api.GatewayClient;
import io.certform.api.TestHttp;
import io.certform.api.TokenAuth;
import io.certform.base.Secret;
import io.certform.base.Service;
import io.certform.base.SyncRecorder;
import io.certform.cert.CertificateInfo;
import io.certform.plan.CertificateMaterial;
import io.certform.plan.DesiredBinding;
import io.certform.plan.Planner;
import io.certform.plan.ResourceChange;
import io.certform.state.local.LocalStateStore;
import io.certform.state.State;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import okhttp3.Interceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write call leaves only once its intent is on disk: the journal holding it is fsynced before the request is
 * handed to the HTTP client. The request is seen where it leaves certform (an interceptor in front of the
 * authentication), and the fsync through {@link SyncRecorder}, in one sequence.
 */
class IntentDurableBeforeSendTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String POST_PATH = "/v2/p/apic/instances/i/api-groups/g/domains/d/certificate";

    @TempDir
    Path dir;

    private static DesiredBinding desired() {
        CertificateInfo info = new CertificateInfo("a".repeat(64), "b".repeat(64), "5a01",
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2031-01-01T00:00:00Z"), "RSA", "RSA 2048",
                "api.example.com", List.of("api.example.com"), "CA", "SHA256WITHRSA");
        return new DesiredBinding("a[api.example.com]", "a", new DesiredBinding.Domain("i", "g", "d", "api.example.com"),
                new DesiredBinding.Upload("cert_a", "global", null, info, null,
                        new CertificateMaterial("PEM", new Secret("KEY", "k", null), null)), null);
    }

    @Test
    void theIntentIsFsyncedToTheJournal_beforeItsCallIsSent_andTheResultBeforeTheStateIsWritten() throws Exception {
        wm.stubFor(post(POST_PATH).willReturn(aResponse().withStatus(201).withBody(
                "{\"id\":\"d\",\"url_domain\":\"api.example.com\",\"ssl_id\":\"new1\",\"ssl_name\":\"cert_a\"}")));
        try (SyncRecorder disk = SyncRecorder.install(dir).countLines("s.json.journal")) {
            TokenAuth auth = new TokenAuth("t");
            Interceptor sending = chain -> {
                disk.note("send " + chain.request().method() + " " + chain.request().url().encodedPath());
                return auth.intercept(chain);
            };
            GatewayClient client = new GatewayClient(TestHttp.client(sending, Duration.ofSeconds(5)),
                    new Endpoint(wm.baseUrl(), "p", Service.ROMA));
            LocalStateStore store = new LocalStateStore(dir.resolve("s.json"), "t");
            Applier applier = new Applier(client, store,
                    new Applier.Settings(1, new Backoff(1, Duration.ofMillis(100), Duration.ofSeconds(5)), null,
                            Duration.ofSeconds(10)), Clock.fixed(Instant.parse("2026-11-28T00:00:00Z"), ZoneOffset.UTC),
                    d -> { }, new Random(1), new ApplyListener() {
                        public void started(ResourceChange c) { }

                        public void completed(ResourceChange c, String s, Duration d, String n) { }

                        public void failed(ResourceChange c, ApiException e) { }

                        public void skipped(ResourceChange c, String w) { }

                        public void unknown(ResourceChange c, String w) { }
                    });
            State prior = store.read();
            ApplyResult result = applier.apply(Planner.plan(List.of(desired()), prior), prior);
            assertTrue(result.ok(), result.failures().toString());
            assertEquals(List.of(
                    "sync-folder .", // the journal created
                    "fsync s.json.journal (1 lines)", // the intent
                    "send POST " + POST_PATH,
                    "fsync s.json.journal (2 lines)", // the result
                    "fsync .s.json.tmp",
                    "rename .s.json.tmp -> s.json",
                    "sync-folder .",
                    "sync-folder ."), // the journal deleted
                    disk.steps(), "journal fsync, then send");
        }
    }
}
