package io.certform.guarantees;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.certform.cli.CliRun;
import io.certform.cli.SimulatedRollout;
import io.certform.testkit.TestCertificates;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * How answers that did not come from the service are classified: a 5xx without a usable error body (empty,
 * truncated, a proxy's page, a body cut off mid-chunk) cannot prove the add was not carried out, so it is looked
 * for and never sent again, even though the add never shows.
 */
class AnswersThroughProxiesTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final SimulatedRollout ONE = new SimulatedRollout(1, i -> "grp0", true);
    private static final TestCertificates.Issued CERT = TestCertificates.authority("Review Scripted CA")
            .issue("*.example.com");
    private static final String BASE = Sims.SCRIPTED_GROUP;
    private static final String POST_PATH = Sims.SCRIPTED_ADD;
    private static final String BARE = Sims.SCRIPTED_BARE_GROUP;

    @TempDir
    Path dir;

    private int postsAfter(ResponseDefinitionBuilder answer) throws Exception {
        Path manifest = ONE.write(dir, "service: apig, endpoint: \"" + wm.baseUrl() + "\", project_id: proj1", CERT,
                "");
        wm.stubFor(get(BASE).willReturn(aResponse().withStatus(200).withBody(BARE)));
        wm.stubFor(post(POST_PATH).willReturn(answer));
        CliRun.run("apply", "--auto-approve", "-f", manifest.toString(), "--settle-window", "1s",
                "--max-retries", "3");
        return wm.findAll(postRequestedFor(urlEqualTo(POST_PATH))).size();
    }

    /**
     * Claim: a call that landed is recorded done with the gateway's ids; only a refusal is voided. The add is
     * carried out and answered 200 (not the documented 201) with the gateway's ids: a success status is no refusal,
     * yet it is taken for one ("HTTP 200: unexpected answer without an error body") and voided, and the binding
     * the domain now carries is not recorded.
     */
    @Test
    void anAddAnswered200WithItsIds_isRecordedDone_notVoided() throws Exception {
        Path manifest = ONE.write(dir, "service: apig, endpoint: \"" + wm.baseUrl() + "\", project_id: proj1", CERT,
                "");
        wm.stubFor(get(BASE).willReturn(aResponse().withStatus(200).withBody(BARE)));
        wm.stubFor(post(POST_PATH).willReturn(aResponse().withStatus(200).withHeader("Content-Type",
                "application/json").withBody("{\"id\":\"dom0\",\"url_domain\":\"d0.example.com\",\"ssl_id\":\"s1\","
                + "\"ssl_name\":\"site_cert\"}")));
        CliRun apply = CliRun.run("apply", "--auto-approve", "-f", manifest.toString(), "--settle-window", "1s");
        java.util.List<io.certform.state.ResourceState> recorded = new io.certform.state.local.LocalStateStore(
                dir.resolve("certform.state.json"), "t").read().resources();
        assertEquals(java.util.List.of("s1"), recorded.stream().map(io.certform.state.ResourceState::sslId).toList(),
                "the add that landed (answered 200 with its ids) is recorded\n" + apply);
    }

    @Test
    void a500WithAnEmptyBody_isNotSentAgain() throws Exception {
        assertEquals(1, postsAfter(aResponse().withStatus(500)));
    }

    @Test
    void a503WithATruncatedErrorBody_isNotSentAgain() throws Exception {
        assertEquals(1, postsAfter(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                .withBody("{\"error_code\":\"APIG.9999\",\"error_msg\":\"Sys")));
    }

    @Test
    void a502ProxyPage_isNotSentAgain() throws Exception {
        assertEquals(1, postsAfter(aResponse().withStatus(502).withHeader("Content-Type", "text/html")
                .withBody("<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>")));
    }

    @Test
    void a500CutOffMidBody_isNotSentAgain() throws Exception {
        assertEquals(1, postsAfter(aResponse().withStatus(500).withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
    }

    @Test
    void a503WithAnHtmlPage_isNotSentAgain() throws Exception {
        assertEquals(1, postsAfter(aResponse().withStatus(503).withHeader("Content-Type", "text/html")
                .withBody("<html><body><h1>503 Service Unavailable</h1></body></html>")));
    }
}
