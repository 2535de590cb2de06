package io.certform.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.Environment;
import io.certform.diag.Diagnostic;
import io.certform.diag.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Named providers in the manifest: the blocks, the selection rule, the addresses, credentials, run settings. */
class ManifestProvidersTest {

    @TempDir
    Path dir;

    private final Environment environment = Map.of("SHOP_KEY", "key text", "EU_AK", "AKEU0000000000001",
            "EU_SK", "eu-secret-key", "US_TOKEN", "us-token")::get;

    @BeforeEach
    void files() throws IOException {
        Files.writeString(dir.resolve("shop.crt"), "certificate text");
    }

    private ManifestParser.Result parse(String... lines) throws IOException {
        Path file = dir.resolve("certform.yaml");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return new ManifestParser(environment).parse(file, "certform.yaml");
    }

    private static List<String> errors(ManifestParser.Result result) {
        return result.diagnostics().all().stream().filter(d -> d.severity() == Severity.ERROR)
                .map(Diagnostic::headline).toList();
    }

    private static String certificate(String key, String provider, String... domains) {
        StringBuilder out = new StringBuilder("  " + key + ":\n    name: " + key + "_2026\n"
                + "    cert_content: ${file:shop.crt}\n    private_key: ${env:SHOP_KEY}\n");
        if (provider != null) {
            out.append("    provider: ").append(provider).append('\n');
        }
        out.append("    domains:\n");
        for (String d : domains) {
            out.append("      - ").append(d).append('\n');
        }
        return out.toString();
    }

    private static final String FLEET_PROVIDERS = String.join("\n",
            "version: 1",
            "provider:",
            "  endpoint: embedded",
            "providers:",
            "  eu:",
            "    region: eu-west-101",
            "    project_id: proj-eu",
            "    credentials: { ak: '${env:EU_AK}', sk: '${env:EU_SK}' }",
            "    parallelism: 4",
            "    rate: 20/s",
            "    call_timeout: 90s",
            "  us:",
            "    endpoint: https://apig.us.example.com",
            "    project_id: proj-us",
            "    credentials: { token: '${env:US_TOKEN}' }",
            "defaults:",
            "  instance_id: inst1",
            "  group_id: g1",
            "certificates:");

    private static Map<String, String> addresses(Manifest m) {
        return m.bindings().stream().collect(Collectors.toMap(BindingSpec::address, BindingSpec::provider));
    }

    @Test
    void singleProvider_isTheDefault_andAddressesAreUnchanged() throws IOException {
        ManifestParser.Result r = parse("version: 1", "provider: { endpoint: embedded }",
                "defaults: { instance_id: inst1, group_id: g1 }", "certificates:",
                certificate("shop", null, "{ domain: api.example.com }", "{ domain_id: d2 }"));
        assertEquals(List.of(), errors(r));
        Manifest m = r.manifest();
        assertEquals(List.of("default"), m.providers().stream().map(Provider::name).toList());
        assertEquals(m.provider(), m.providers().get(0));
        assertEquals(Map.of("shop[api.example.com]", "default", "shop[d2]", "default"), addresses(m));
        assertNull(m.provider().credentials());
        assertEquals(Provider.RunSettings.NONE, m.provider().settings());
    }

    @Test
    void providers_inDeclaredOrder_defaultFirst_withCredentialsAndSettings() throws IOException {
        ManifestParser.Result r = parse("version: 1", "providers:", "  zz: { endpoint: embedded }",
                "  default: { endpoint: embedded }", "  aa: { endpoint: embedded }",
                "defaults: { instance_id: inst1, group_id: g1 }", "certificates:",
                certificate("shop", null, "{ domain: api.example.com }"));
        assertEquals(List.of(), errors(r));
        assertEquals(List.of("default", "zz", "aa"), r.manifest().providers().stream().map(Provider::name).toList());
        assertEquals("default", r.manifest().provider().name());

        r = parse(FLEET_PROVIDERS, certificate("shop", "eu", "{ domain: api.example.com }"));
        assertEquals(List.of(), errors(r));
        Provider eu = r.manifest().provider("eu");
        assertEquals("AKEU0000000000001", eu.credentials().accessKey().reveal());
        assertEquals("eu-secret-key", eu.credentials().secretKey().reveal());
        assertEquals("${env:EU_AK} / ${env:EU_SK}", eu.credentials().source());
        assertEquals(new Provider.RunSettings(4, 20.0, null, null, Duration.ofSeconds(90), null), eu.settings());
        assertEquals("us-token", r.manifest().provider("us").credentials().token().reveal());
        assertEquals("eu", r.manifest().provider().name(), "the one provider the bindings use runs them");
    }

    @Test
    void selectionRule_bindingOverCertificateOverDefaultsOverDefault() throws IOException {
        ManifestParser.Result r = parse(FLEET_PROVIDERS,
                certificate("shop", "eu", "{ domain: a.example.com }", "{ domain: b.example.com, provider: us }"),
                certificate("site", null, "{ domain: c.example.com }", "{ domain: d.example.com, provider: eu }"));
        assertEquals(List.of(), errors(r));
        assertEquals(Map.of("provider.eu.shop[a.example.com]", "eu", "provider.us.shop[b.example.com]", "us",
                "site[c.example.com]", "default", "provider.eu.site[d.example.com]", "eu"), addresses(r.manifest()));

        r = parse(FLEET_PROVIDERS.replace("  group_id: g1", "  group_id: g1\n  provider: us"),
                certificate("site", null, "{ domain: c.example.com }"),
                certificate("shop", "default", "{ domain: a.example.com }"));
        assertEquals(List.of(), errors(r));
        assertEquals(Map.of("provider.us.site[c.example.com]", "us", "shop[a.example.com]", "default"),
                addresses(r.manifest()));
        assertEquals(List.of("default", "us"), r.manifest().providersUsed());
    }

    @Test
    void theOnlyProvider_isUsed_andSeveralWithoutADefault_nameNone() throws IOException {
        ManifestParser.Result r = parse("version: 1", "providers:", "  eu: { endpoint: embedded }",
                "defaults: { instance_id: inst1, group_id: g1 }", "certificates:",
                certificate("shop", null, "{ domain: api.example.com }", "{ match: '*.example.com' }"));
        assertEquals(List.of(), errors(r));
        assertEquals(Map.of("provider.eu.shop[api.example.com]", "eu", "provider.eu.shop[*.example.com]", "eu"),
                addresses(r.manifest()));
        assertEquals("eu", r.manifest().provider().name());

        r = parse("version: 1", "providers:", "  eu: { endpoint: embedded }", "  us: { endpoint: embedded }",
                "defaults: { instance_id: inst1, group_id: g1 }", "certificates:",
                certificate("shop", null, "{ domain: api.example.com }"));
        assertEquals(List.of("certform.yaml:12:9: error: a domain of certificate 'shop' names no provider"),
                errors(r));
        assertTrue(r.diagnostics().all().get(0).detail().contains("eu, us"));

        // every binding on one named provider: a run against one gateway uses that one
        r = parse("version: 1", "providers:", "  eu: { endpoint: embedded }", "  us: { endpoint: embedded }",
                "defaults: { instance_id: inst1, group_id: g1, provider: us }", "certificates:",
                certificate("shop", null, "{ domain: api.example.com }"));
        assertEquals(List.of(), errors(r));
        assertEquals("us", r.manifest().provider().name());
    }

    @Test
    void unknownProviderName_isAnError_namingTheKnownOnes_whereItIsWritten() throws IOException {
        ManifestParser.Result r = parse(FLEET_PROVIDERS,
                certificate("shop", "asia", "{ domain: a.example.com }", "{ domain: b.example.com, provider: eu }"),
                certificate("site", null, "{ domain: c.example.com, provider: ap }"));
        assertEquals(List.of("certform.yaml:24:15: error: certificate 'shop' provider 'asia' is not a provider of"
                        + " this manifest",
                "certform.yaml:34:44: error: a domain of certificate 'site' provider 'ap' is not a provider of this"
                        + " manifest"), errors(r));
        assertTrue(r.diagnostics().all().get(0).detail().contains("default, eu, us"),
                r.diagnostics().all().get(0).detail());
    }

    @Test
    void sameDomain_underTwoProviders_isValid_twiceUnderOne_isAnError() throws IOException {
        ManifestParser.Result r = parse(FLEET_PROVIDERS, certificate("shop", null, "{ domain: a.example.com }",
                "{ domain: a.example.com, provider: eu }", "{ domain: a.example.com, provider: us }"));
        assertEquals(List.of(), errors(r));
        assertEquals(3, r.manifest().bindings().size());

        r = parse(FLEET_PROVIDERS, certificate("shop", "eu", "{ domain: a.example.com }",
                "{ domain: a.example.com }"));
        assertEquals(List.of("certform.yaml:27:9: error: domain a.example.com is bound twice",
                "certform.yaml:27:9: error: address provider.eu.shop[a.example.com] is declared twice"), errors(r));

        r = parse(FLEET_PROVIDERS, certificate("shop", "eu", "{ domain: a.example.com }"),
                certificate("site", "eu", "{ domain: a.example.com }"));
        assertEquals(List.of("certform.yaml:34:9: error: domain a.example.com is bound twice"), errors(r));
    }

    @Test
    void providerBlockAndProvidersDefault_isAnError_namingBoth() throws IOException {
        ManifestParser.Result r = parse("version: 1", "provider: { endpoint: embedded }", "providers:",
                "  default: { endpoint: embedded }", "certificates: {}");
        List<String> errors = errors(r);
        assertTrue(errors.contains("certform.yaml:4:3: error: the provider 'default' is declared twice: by"
                + " 'provider:' at certform.yaml:2:11 and by providers.default"), errors.toString());
    }

    @Test
    void noProvider_andBadNames_areErrors() throws IOException {
        assertTrue(errors(parse("version: 1", "certificates: {}")).contains(
                "certform.yaml:1:1: error: missing 'provider'"));
        List<String> errors = errors(parse("version: 1", "providers:", "  EU: { endpoint: embedded }",
                "  " + "a".repeat(33) + ": { endpoint: embedded }", "  ok-1_b: { endpoint: embedded }",
                "certificates: {}"));
        assertTrue(errors.contains("certform.yaml:3:3: error: provider name 'EU' is not valid"), errors.toString());
        assertTrue(errors.contains("certform.yaml:4:3: error: provider name '" + "a".repeat(33) + "' is not valid"),
                errors.toString());
        assertFalse(errors.stream().anyMatch(e -> e.contains("ok-1_b")), errors.toString());
    }

    @Test
    void aCredentialWrittenAsAValue_isRefused_withoutEchoingIt() throws IOException {
        ManifestParser.Result r = parse(FLEET_PROVIDERS.replace("sk: '${env:EU_SK}'", "sk: plain-secret-value"),
                certificate("shop", "eu", "{ domain: a.example.com }"));
        List<Diagnostic> all = r.diagnostics().all();
        assertEquals(List.of("certform.yaml:8:44: error: a secret in the manifest: providers.eu.credentials.sk is"
                + " written as a value"), errors(r));
        assertTrue(all.get(0).detail().contains("${env:EU_SK}"), all.get(0).detail());
        assertFalse(all.stream().anyMatch(d -> d.toString().contains("plain-secret-value")));
    }

    @Test
    void credentials_needAPairOrAToken_notBoth() throws IOException {
        assertEquals(List.of("certform.yaml:8:18: error: providers.eu.credentials is missing sk"),
                errors(parse(FLEET_PROVIDERS.replace(", sk: '${env:EU_SK}'", ""),
                        certificate("shop", "eu", "{ domain: a.example.com }"))));
        assertEquals(List.of("certform.yaml:8:18: error: providers.eu.credentials gives both a token and an access"
                        + " key"),
                errors(parse(FLEET_PROVIDERS.replace("sk: '${env:EU_SK}'", "sk: '${env:EU_SK}', token: '${env:X}'"),
                        certificate("shop", "eu", "{ domain: a.example.com }"))));
        assertEquals(List.of("certform.yaml:8:24: error: environment variable NOPE is not set"
                        + " (providers.eu.credentials.ak)"),
                errors(parse(FLEET_PROVIDERS.replace("EU_AK", "NOPE"),
                        certificate("shop", "eu", "{ domain: a.example.com }"))));
    }

    @Test
    void runSettings_areChecked() throws IOException {
        List<String> errors = errors(parse(FLEET_PROVIDERS.replace("parallelism: 4", "parallelism: 0")
                        .replace("rate: 20/s", "rate: fast").replace("call_timeout: 90s", "call_timeout: 0s"),
                certificate("shop", "eu", "{ domain: a.example.com }")));
        assertEquals(List.of("certform.yaml:9:18: error: providers.eu.parallelism '0' is not a number of calls from"
                        + " 1 to 256",
                "certform.yaml:10:11: error: providers.eu.rate 'fast' is not a rate",
                "certform.yaml:11:19: error: providers.eu.call_timeout '0s' is not a duration"), errors);
    }

    /**
     * Every single-provider example manifest reads as before: one provider, named default, and addresses KEY[DOMAIN]
     * (examples/fleet is the one fleet, with named providers only).
     */
    @Test
    void examples_keepTheirAddresses() throws IOException {
        List<Path> manifests;
        try (Stream<Path> files = Files.walk(Path.of("..", "examples"))) {
            manifests = files.filter(f -> f.getFileName().toString().endsWith(".yaml")
                    && f.getFileName().toString().startsWith("certform")
                    && !f.getParent().getFileName().toString().equals("fleet")).toList();
        }
        assertFalse(manifests.isEmpty());
        for (Path file : manifests) {
            Manifest m = new ManifestParser(name -> "x").parse(file, file.toString()).read();
            assertNotNull(m, file.toString());
            assertEquals(List.of("default"), m.providers().stream().map(Provider::name).toList(), file.toString());
            for (CertificateSpec c : m.certificates()) {
                for (BindingSpec b : c.bindings()) {
                    String expected = c.key() + "[" + (b.isPattern() ? b.match()
                            : b.domain() != null ? b.domain() : b.domainId()) + "]";
                    assertEquals(expected, b.address(), file.toString());
                    assertEquals("default", b.provider());
                }
            }
        }
    }
}
