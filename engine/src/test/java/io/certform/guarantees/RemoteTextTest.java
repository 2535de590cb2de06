package io.certform.guarantees;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.certform.cli.CliRun;
import io.certform.cli.SimulatedRollout;
import io.certform.testkit.TestCertificates;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text the gateway answers (an error message, a certificate or domain name) is shown, never interpreted: a
 * terminal escape sequence in it (clear the screen, recolour, hide a line) reaches no output.
 */
class RemoteTextTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final SimulatedRollout ONE = new SimulatedRollout(1, i -> "grp0", true);
    private static final TestCertificates.Issued CERT = TestCertificates.authority("Escapes CA").issue("*.example.com");
    private static final String BASE = "/v2/proj1/apigw/instances/inst1/api-groups/grp0";

    @TempDir
    Path dir;

    @Test
    void escapeSequencesInAnErrorMessage_reachNoOutput() throws Exception {
        Path manifest = ONE.write(dir, "service: apig, endpoint: \"" + wm.baseUrl() + "\", project_id: proj1", CERT, "");
        wm.stubFor(get(BASE).willReturn(aResponse().withStatus(200).withBody("{\"id\":\"grp0\",\"url_domains\":[{"
                + "\"id\":\"dom0\",\"domain\":\"d0.example.com\",\"ssl_id\":\"\",\"ssl_name\":\"\",\"ssl_infos\":[]}]}")));
        wm.stubFor(post(BASE + "/domains/dom0/certificate").willReturn(aResponse().withStatus(400).withBody(
                "{\"error_code\":\"APIG.2012\",\"error_msg\":\"Invalid parameter\\u001b[2J\\u001b[1A\\u009b31m name\"}")));
        CliRun apply = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
        assertEquals(1, apply.exitCode(), apply.toString());
        assertTrue(apply.all().contains("Invalid parameter"), apply.toString());
        assertFalse(apply.all().contains("\u001b") || apply.all().contains("\u009b"),
                "an escape sequence from the gateway reached the output:\n" + apply);
        CliRun json = CliRun.run("apply", "--auto-approve", "--json", "-f", manifest.toString());
        assertFalse(json.all().contains("\u001b") || json.all().contains("\u009b"), json.toString());
        tools.jackson.databind.json.JsonMapper mapper = tools.jackson.databind.json.JsonMapper.builder().build();
        java.util.List<String> types = json.out().lines().map(l -> mapper.readTree(l).path("type").asString())
                .toList();
        assertTrue(types.contains("summary"), "stdout is JSON lines only, ending in a summary: " + json);
        assertEquals(1, types.stream().filter(t -> t.contains("fail")).count(), "the failure has its line: " + json);
    }
}
