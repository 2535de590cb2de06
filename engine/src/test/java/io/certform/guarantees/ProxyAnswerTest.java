package io.certform.guarantees;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.certform.cli.CliRun;
import io.certform.cli.SimulatedRollout;
import io.certform.testkit.TestCertificates;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Answers that did not come from the service itself, against a scripted gateway (WireMock), through the CLI. */
class ProxyAnswerTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final SimulatedRollout ONE = new SimulatedRollout(1, i -> "grp0", true);
    private static final TestCertificates.Issued CERT = TestCertificates.authority("Scripted CA").issue("*.example.com");
    private static final String BASE = Sims.SCRIPTED_GROUP;
    private static final String POST_PATH = Sims.SCRIPTED_ADD;

    @TempDir
    Path dir;

    private Path manifest() throws Exception {
        return ONE.write(dir, "service: apig, endpoint: \"" + wm.baseUrl() + "\", project_id: proj1", CERT, "");
    }

    private static String group(String sslId) {
        String ssl = sslId == null ? "\"ssl_id\":\"\",\"ssl_name\":\"\",\"ssl_infos\":[]"
                : "\"ssl_id\":\"" + sslId + "\",\"ssl_name\":\"site_cert\",\"ssl_infos\":[{\"ssl_id\":\"" + sslId
                + "\",\"ssl_name\":\"site_cert\",\"algorithm_type\":\"RSA\",\"type\":\"global\"}]";
        return "{\"id\":\"grp0\",\"url_domains\":[{\"id\":\"dom0\",\"domain\":\"d0.example.com\"," + ssl
                + ",\"verified_client_certificate_enabled\":false,\"is_has_trusted_root_ca\":false}]}";
    }

    private static final String CREATED = "{\"id\":\"dom0\",\"url_domain\":\"d0.example.com\",\"ssl_id\":\"s1\","
            + "\"ssl_name\":\"site_cert\"}";

    /**
     * A 503 without the service's error body (a proxy's "upstream ... reset") cannot say whether the service
     * carried the add out: it is an unknown outcome, looked for, never sent again.
     */
    @Test
    void proxy503WithoutAnErrorBody_isAnUnknownOutcome_andTheAddIsNotSentAgain() throws Exception {
        Path manifest = manifest();
        wm.stubFor(get(BASE).willReturn(aResponse().withStatus(200).withBody(group(null))));
        wm.stubFor(post(POST_PATH).inScenario("p").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "text/plain")
                        .withBody("upstream connect error or disconnect/reset before headers. reset reason:"
                                + " connection termination"))
                .willSetStateTo("landed"));
        wm.stubFor(post(POST_PATH).inScenario("p").whenScenarioStateIs("landed")
                .willReturn(aResponse().withStatus(201).withBody(CREATED)));
        CliRun apply = CliRun.run("apply", "--auto-approve", "-f", manifest.toString(), "--settle-window", "1s");
        assertEquals(1, wm.findAll(postRequestedFor(urlEqualTo(POST_PATH))).size(),
                "an add whose answer did not come from the service is never sent again\n" + apply);
    }
}
