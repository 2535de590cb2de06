package io.certform.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.Environment;
import io.certform.diag.Diagnostic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code rollout: { by: provider, order: [...] }}: the order read, and where each mistake is reported. */
class RolloutByProviderManifestTest {

    @TempDir
    Path dir;

    private final Environment environment = Map.of("SHOP_KEY", "key text")::get;

    private static final String FLEET = String.join("\n",
            "version: 1",                                                           // 1
            "provider: { endpoint: embedded }",                                     // 2
            "providers:",                                                           // 3
            "  staging: { endpoint: embedded }",                                    // 4
            "  eu: { endpoint: embedded }",                                         // 5
            "defaults: { instance_id: inst1 }",                                     // 6
            "certificates:",                                                        // 7
            "  shop:",                                                              // 8
            "    name: shop_api_2026",                                              // 9
            "    cert_content: ${file:shop.crt}",                                   // 10
            "    private_key: ${env:SHOP_KEY}",                                     // 11
            "    domains: [{ group_id: g1, domain: api.example.com }]",             // 12
            "");

    private ManifestParser.Result parse(String rest) throws IOException {
        Files.writeString(dir.resolve("shop.crt"), "certificate text");
        Path file = dir.resolve("certform.yaml");
        Files.writeString(file, FLEET + rest);
        return new ManifestParser(environment).parse(file, "certform.yaml");
    }

    private static String rendered(ManifestParser.Result result) {
        return result.diagnostics().all().stream().map(Diagnostic::headline).collect(Collectors.joining("\n"));
    }

    @Test
    void byProvider_withoutOrder_isTheDeclaredOrder_defaultFirst() throws IOException {
        ManifestParser.Result result = parse("rollout: { by: provider }\n");
        assertTrue(result.ok(), rendered(result));
        RolloutSpec r = result.manifest().rollout();
        assertTrue(r.byProvider());
        assertEquals(List.of("default", "staging", "eu"), r.providerOrder());
        assertFalse(r.lastWaveTakesTheRest());
    }

    @Test
    void order_listedFirst_theOthersAfterInDeclaredOrder() throws IOException {
        ManifestParser.Result result = parse("rollout:\n  by: provider\n  order: [eu]\n  verify: tls\n");
        assertTrue(result.ok(), rendered(result));
        assertEquals(List.of("eu", "default", "staging"), result.manifest().rollout().providerOrder());
        assertEquals(RolloutSpec.Verify.TLS, result.manifest().rollout().verify());
    }

    @Test
    void noBy_isWavesBySize_asBefore() throws IOException {
        ManifestParser.Result result = parse("rollout: { waves: [1, \"100%\"] }\n");
        assertTrue(result.ok(), rendered(result));
        assertFalse(result.manifest().rollout().byProvider());
        assertEquals(List.of(), result.manifest().rollout().providerOrder());
    }

    /** Each mistake is reported at its own line and column. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "  by: region                       | 14:7  | rollout.by 'region' is not provider",
            "  order: [eu]                      | 14:10 | rollout.order needs by: provider",
            "  by: provider; order: [eu, us]   | 15:15 | rollout.order[1] 'us' is not a provider of the manifest"
                    + " (known: default, staging, eu)",
            "  by: provider; order: [eu, eu]   | 15:15 | rollout.order[1] 'eu' is listed twice",
            "  by: provider; waves: [1]        | 15:10 | rollout.waves cannot be used with by: provider (at"
                    + " certform.yaml:14:7)",
            "  by: provider; order: eu         | 15:10 | rollout.order must be a list",
    })
    void mistake_isReportedAtItsPosition(String lines, String at, String message) throws IOException {
        ManifestParser.Result result = parse("rollout:\n  " + lines.strip().replace("; ", "\n  ") + "\n");
        assertFalse(result.ok());
        String shown = rendered(result);
        assertTrue(shown.contains("certform.yaml:" + at + ": error: " + message), shown);
        assertEquals(1, result.diagnostics().errorCount(), shown);
    }
}
