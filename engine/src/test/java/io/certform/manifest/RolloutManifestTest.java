package io.certform.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.Environment;
import io.certform.diag.Diagnostic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code rollout:} block and {@code previous:}: what is read, and where each bad value is reported. */
class RolloutManifestTest {

    @TempDir
    Path dir;

    private final Environment environment = Map.of("SHOP_KEY", "key text", "OLD_KEY", "old key text")::get;

    private static final String CERTIFICATES = String.join("\n",
            "version: 1",                                               // 1
            "provider: { endpoint: embedded }",                         // 2
            "defaults: { instance_id: inst1 }",                         // 3
            "certificates:",                                            // 4
            "  shop:",                                                  // 5
            "    name: shop_api_2026",                                  // 6
            "    cert_content: ${file:shop.crt}",                       // 7
            "    private_key: ${env:SHOP_KEY}",                         // 8
            "    domains: [{ group_id: g1, domain: api.example.com }]", // 9
            "");

    private ManifestParser.Result parse(String rest) throws IOException {
        Files.writeString(dir.resolve("shop.crt"), "certificate text");
        Files.writeString(dir.resolve("roots.pem"), "roots text");
        Path file = dir.resolve("certform.yaml");
        Files.writeString(file, CERTIFICATES + rest);
        return new ManifestParser(environment).parse(file, "certform.yaml");
    }

    private static String rendered(ManifestParser.Result result) {
        return result.diagnostics().all().stream().map(Diagnostic::headline).collect(Collectors.joining("\n"));
    }

    @Test
    void noBlock_isOneWaveOfEverything_unverified_stopping() throws IOException {
        ManifestParser.Result result = parse("");
        assertTrue(result.ok(), rendered(result));
        RolloutSpec r = result.manifest().rollout();
        assertFalse(r.declared());
        assertEquals(List.of(RolloutSpec.WaveSize.REST), r.waves());
        assertEquals(RolloutSpec.Verify.NONE, r.verify());
        assertEquals(RolloutSpec.OnFailure.STOP, r.onFailure());
        assertNull(result.manifest().certificates().get(0).previous());
    }

    @Test
    void fullBlock_isReadWithEveryValue() throws IOException {
        ManifestParser.Result result = parse(String.join("\n",
                "    previous: { cert_content: \"${file:shop.crt}\", private_key: \"${env:OLD_KEY}\" }",
                "rollout:",
                "  waves: [1, \"10%\", 100%]",
                "  verify: tls",
                "  probe: { port: 8443, resolve: \"127.0.0.1:9443\", timeout: 3s, propagation: 2m,"
                        + " roots: \"${file:roots.pem}\" }",
                "  max_failures: 2",
                "  on_failure: rollback", ""));
        assertTrue(result.ok(), rendered(result));
        RolloutSpec r = result.manifest().rollout();
        assertTrue(r.declared());
        assertEquals("[1, 10%, 100%]", r.waves().toString());
        assertFalse(r.lastWaveTakesTheRest());
        assertEquals(RolloutSpec.Verify.TLS, r.verify());
        assertEquals(new RolloutSpec.HostPort("127.0.0.1", 9443), r.probe().resolve());
        assertEquals(8443, r.probe().port());
        assertEquals(Duration.ofSeconds(3), r.probe().timeout());
        assertEquals(Duration.ofMinutes(2), r.probe().propagation());
        assertEquals("roots text", r.probe().roots().text());
        assertEquals(2, r.maxFailures());
        assertEquals(RolloutSpec.OnFailure.ROLLBACK, r.onFailure());
        PreviousCertificate previous = result.manifest().certificates().get(0).previous();
        assertEquals("certificate text", previous.certContent().text());
        assertEquals("old key text", previous.privateKey().reveal());
        assertEquals("(sensitive)", previous.privateKey().toString());
    }

    @Test
    void probeDefaults_port443_timeout10s_propagation60s_noResolve_noRoots() throws IOException {
        ManifestParser.Result result = parse("rollout: { waves: [5], verify: tls }\n");
        assertTrue(result.ok(), rendered(result));
        RolloutSpec r = result.manifest().rollout();
        assertEquals(RolloutSpec.Probe.DEFAULT, r.probe());
        assertEquals(443, r.probe().port());
        assertEquals(Duration.ofSeconds(10), r.probe().timeout());
        assertEquals(Duration.ofSeconds(60), r.probe().propagation());
        assertTrue(r.lastWaveTakesTheRest(), "[5] does not end with 100%: the plan says the last wave takes the rest");
        assertEquals(0, r.maxFailures());
    }

    /** Each bad value is reported at its own line and column, with what was written. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "  waves: [1, 0]                  | 11:14 | rollout.waves[1] '0' is not a count or a share",
            "  waves: [1, \"0%\"]             | 11:14 | rollout.waves[1] '0%' is not a count or a share",
            "  waves: [\"150%\"]              | 11:11 | rollout.waves[0] '150%' is not a count or a share",
            "  waves: [\"2.5%\"]              | 11:11 | rollout.waves[0] '2.5%' is not a count or a share",
            "  waves: [-3]                    | 11:11 | rollout.waves[0] '-3' is not a count or a share",
            "  waves: [ten]                   | 11:11 | rollout.waves[0] 'ten' is not a count or a share",
            "  waves: []                      | 11:10 | rollout.waves is an empty list",
            "  waves: 5                       | 11:10 | rollout.waves must be a list",
            "  waves: [\"100%\", 5]           | 11:19 | rollout.waves[1] '5' comes after \"100%\"",
            "  verify: yes-please             | 11:11 | rollout.verify 'yes-please' is not none or tls",
            "  max_failures: -1               | 11:17 | rollout.max_failures '-1' is not a whole number from 0 up",
            "  max_failures: many             | 11:17 | rollout.max_failures 'many' is not a whole number",
            "  on_failure: panic              | 11:15 | rollout.on_failure 'panic' is not stop or rollback",
            "  probe: { port: 70000 }         | 11:18 | rollout.probe.port '70000' is not a whole number from 1 to 65535",
            "  probe: { resolve: localhost }  | 11:21 | rollout.probe.resolve 'localhost' is not HOST:PORT",
            "  probe: { resolve: \"a:0\" }    | 11:21 | rollout.probe.resolve 'a:0' is not HOST:PORT",
            "  probe: { timeout: 0s }         | 11:21 | rollout.probe.timeout '0s' is not a duration above zero",
            "  probe: { propagation: soon }   | 11:25 | rollout.probe.propagation 'soon' is not a duration",
            "  probe: { tiemout: 5s }         | 11:12 | unknown key 'tiemout' in rollout.probe",
            "  wave: [1]                      | 11:3  | unknown key 'wave' in rollout",
    })
    void badValue_isReportedAtItsPosition(String line, String at, String message) throws IOException {
        ManifestParser.Result result = parse("rollout:\n  " + line.strip() + "\n"); // CsvSource trims the indent
        assertFalse(result.ok());
        String shown = rendered(result);
        assertTrue(shown.contains("certform.yaml:" + at + ": error: " + message), shown);
        assertEquals(1, result.diagnostics().errorCount(), shown);
    }

    @Test
    void unknownKey_suggestsTheNearOne() throws IOException {
        ManifestParser.Result result = parse("rollout: { on_falure: rollback }\n");
        assertTrue(result.diagnostics().all().get(0).detail().contains("Did you mean 'on_failure'?"),
                rendered(result));
    }

    @Test
    void previous_keyWrittenInTheManifest_isRefused_andNeverShown() throws IOException {
        ManifestParser.Result result = parse(
                "    previous:\n      cert_content: ${file:shop.crt}\n      private_key: \"-----BEGIN PRIVATE KEY----- abc\"\n");
        String shown = rendered(result) + result.diagnostics().all().stream().map(Diagnostic::detail)
                .collect(Collectors.joining());
        assertTrue(shown.contains("certform.yaml:12:20: error: certificate 'shop' previous has its private key"
                + " written in the manifest"), shown);
        assertFalse(shown.contains("abc"), shown);
    }

    @Test
    void previous_lackingItsKey_orUnknownField_isReportedAtTheBlock() throws IOException {
        ManifestParser.Result result = parse("    previous:\n      cert_content: ${file:shop.crt}\n      cert: x\n");
        String shown = rendered(result);
        assertTrue(shown.contains("certform.yaml:12:7: error: unknown key 'cert' in certificate 'shop' previous"),
                shown);
        assertTrue(shown.contains("certform.yaml:11:7: error: certificate 'shop' previous is missing"
                + " 'private_key'"), shown);
    }

    @Test
    void waveSizes_takeTheirShareOfWhatRemains_roundedUp() {
        assertEquals(20, RolloutSpec.WaveSize.percent(10).of(199));
        assertEquals(1, RolloutSpec.WaveSize.percent(1).of(3));
        assertEquals(3, RolloutSpec.WaveSize.count(5).of(3));
        assertEquals(0, RolloutSpec.WaveSize.percent(50).of(0));
        assertEquals(RolloutSpec.WaveSize.count(7), RolloutReader.waveSize("7"));
        assertEquals(RolloutSpec.WaveSize.percent(100), RolloutReader.waveSize("100%"));
    }
}
