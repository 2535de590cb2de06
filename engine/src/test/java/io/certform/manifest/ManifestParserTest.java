package io.certform.manifest;

import io.certform.base.Environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.diag.Diagnostic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestParserTest {

    @TempDir
    Path dir;

    private final Environment environment = Map.of("SHOP_KEY", "key text", "CA", "ca text")::get;

    /** A valid manifest; the cases below replace one line of it (1-based) to break it. */
    private static final List<String> VALID = List.of(
            "version: 1",                                                           // 1
            "provider:",                                                            // 2
            "  endpoint: embedded",                                                 // 3
            "defaults:",                                                            // 4
            "  instance_id: inst1",                                                 // 5
            "certificates:",                                                        // 6
            "  shop:",                                                              // 7
            "    name: shop_api_2026",                                              // 8
            "    cert_content: ${file:shop.crt}",                                   // 9
            "    private_key: ${env:SHOP_KEY}",                                     // 10
            "    domains:",                                                         // 11
            "      - { group_id: g1, domain: api.example.com }",                    // 12
            "      - { group_id: g1, domain_id: d2 }",                              // 13
            "  status:",                                                            // 14
            "    name: status_2026",                                                // 15
            "    cert_content: ${file:shop.crt}",                                   // 16
            "    private_key: ${env:SHOP_KEY}",                                     // 17
            "    domains:",                                                         // 18
            "      - { group_id: g2, domain: status.example.com }");                // 19

    @BeforeEach
    void files() throws IOException {
        Files.writeString(dir.resolve("shop.crt"), "certificate text");
    }

    private ManifestParser.Result parse(String text) throws IOException {
        Path file = dir.resolve("certform.yaml");
        Files.writeString(file, text);
        return new ManifestParser(environment).parse(file, "certform.yaml");
    }

    private static String replaced(int line, String with) {
        List<String> lines = new java.util.ArrayList<>(VALID);
        lines.set(line - 1, with);
        return String.join("\n", lines) + "\n";
    }

    private static String rendered(ManifestParser.Result result) {
        return result.diagnostics().all().stream().map(Diagnostic::headline).collect(Collectors.joining("\n"));
    }

    @Test
    void validManifest_expandsOneBindingPerDomain_withAddresses() throws IOException {
        ManifestParser.Result result = parse(String.join("\n", VALID));
        assertTrue(result.ok(), rendered(result));
        Manifest m = result.manifest();
        assertEquals(List.of("shop[api.example.com]", "shop[d2]", "status[status.example.com]"),
                m.bindings().stream().map(BindingSpec::address).toList());
        BindingSpec first = m.bindings().get(0);
        assertEquals("inst1", first.instanceId(), "defaults.instance_id is inherited");
        assertEquals("g1", first.groupId());
        assertNull(first.domainId());
        assertEquals("certificate text", m.certificates().get(0).certContent().text());
        assertEquals("file shop.crt", m.certificates().get(0).certContent().origin());
        assertEquals("key text", m.certificates().get(0).privateKey().reveal());
        assertEquals("(sensitive)", m.certificates().get(0).privateKey().toString());
        assertEquals(dir.resolve("certform.state.json"), m.statePath());
        assertTrue(m.provider().embedded());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown key, with a suggestion   | 8  | '    nmae: shop_api_2026'                   | certform.yaml:8:5: error: unknown key 'nmae' in certificate 'shop'
            invalid certificate name         | 8  | '    name: 9shop'                           | certform.yaml:8:11: error: invalid certificate name '9shop'
            name too short                   | 8  | '    name: abc'                             | certform.yaml:8:11: error: invalid certificate name 'abc'
            missing file                     | 9  | '    cert_content: ${file:nope.crt}'        | certform.yaml:9:19: error: file not found: nope.crt (certificate 'shop' cert_content)
            unset environment variable       | 10 | '    private_key: ${env:NOPE}'              | certform.yaml:10:18: error: environment variable NOPE is not set (certificate 'shop' private_key)
            unknown reference kind           | 10 | '    private_key: ${vault:x}'               | certform.yaml:10:18: error: unknown reference '${vault:x}' in certificate 'shop' private_key
            literal private key              | 10 | '    private_key: secret-literal'           | certform.yaml:10:18: error: certificate 'shop' has its private key written in the manifest
            wrong type: a domain is a string | 12 | '      - api.example.com'                   | certform.yaml:12:9: error: a domain of certificate 'shop' must be a mapping of keys to values, not a single value
            wrong type: name a list          | 8  | '    name: [a, b]'                          | certform.yaml:8:11: error: certificate 'shop' name must be a single value, not a list
            missing name                     | 8  | '    type: global'                          | certform.yaml:8:5: error: certificate 'shop' is missing 'name'
            domain names nothing             | 12 | '      - { group_id: g1 }'                  | certform.yaml:12:9: error: a domain of certificate 'shop' names no domain
            duplicate binding of a domain    | 19 | '      - { group_id: g1, domain: api.example.com }' | certform.yaml:19:9: error: domain api.example.com is bound twice
            duplicate binding by id          | 19 | '      - { group_id: g1, domain_id: d2 }'   | certform.yaml:19:9: error: domain d2 is bound twice
            duplicate YAML key               | 9  | '    name: other_name'                      | certform.yaml:9:5: error: duplicate key 'name' in certificate 'shop'
            not a domain name                | 12 | '      - { group_id: g1, domain: "not a domain" }' | certform.yaml:12:33: error: 'not a domain' is not a domain name
            bad type                         | 15 | '    type: regional'                        | certform.yaml:15:11: error: certificate 'status' type 'regional' is not a certificate type
            unsupported version              | 1  | 'version: 2'                                | certform.yaml:1:10: error: unsupported manifest version '2'
            plain http to a remote host      | 3  | '  endpoint: http://gateway.example.com'    | certform.yaml:3:13: error: plain http:// is refused for gateway.example.com
            unknown service                  | 3  | '  service: roma2'                          | certform.yaml:3:12: error: unknown provider.service 'roma2'
            YAML syntax error                | 12 | '      - { group_id: g1, domain: api.example.com' | certform.yaml:12:9: error: YAML syntax error: the '{' opened on line 12 is never closed
            loopback written short           | 3  | '  endpoint: http://127.1:8443'             | certform.yaml:3:13: error: provider.endpoint 'http://127.1:8443' names no host certform can read ('127.1:8443')
            endpoint with no host            | 3  | '  endpoint: https://:443'                  | certform.yaml:3:13: error: provider.endpoint 'https://:443' names no host certform can read
            endpoint with a user, not shown  | 3  | '  endpoint: http://u:pw@127.0.0.1:8443'    | certform.yaml:3:13: error: provider.endpoint 'http://...@127.0.0.1:8443' carries a user name
            project_id a boolean             | 4  | '  project_id: true'                        | certform.yaml:4:15: error: provider.project_id is the boolean true, not an id
            version written 1.5              | 1  | 'version: 1.5'                              | certform.yaml:1:10: error: unsupported manifest version '1.5'
            """)
    void brokenManifest_reportsWhereAndWhat(String name, int line, String replacement, String expected)
            throws IOException {
        ManifestParser.Result result = parse(replaced(line, replacement));
        assertFalse(result.ok(), name + " should fail");
        assertNull(result.manifest(), "no manifest is produced when there are errors");
        String all = rendered(result);
        assertTrue(all.contains(expected), "expected <" + expected + "> in:\n" + all);
    }

    @Test
    void yamlSyntaxError_aKeyWithoutItsColon_isReportedOnItsOwnLine() throws IOException {
        ManifestParser.Result result = parse("version: 1\nprovider\ncertificates: {}\n");
        assertEquals(1, result.diagnostics().all().size(), rendered(result));
        Diagnostic d = result.diagnostics().all().get(0);
        assertEquals("certform.yaml:2:1: error: YAML syntax error: line 2 has no ':' after its key 'provider'",
                d.headline());
        assertEquals("A key is followed by ':', then its value or, on the next lines, an indented block: write"
                + " 'provider:'.", d.detail());
    }

    @Test
    void yamlSyntaxError_withoutAContext_hasNoDanglingDetail() throws IOException {
        ManifestParser.Result result = parse("version: 1\nprovider: *nothing\n");
        Diagnostic d = result.diagnostics().all().get(0);
        assertEquals("certform.yaml:2:11: error: YAML syntax error: found undefined alias nothing", d.headline());
        assertEquals("", d.detail());
    }

    @Test
    void unknownKey_suggestsTheNearestAllowedKey() throws IOException {
        ManifestParser.Result result = parse(replaced(8, "    nmae: shop_api_2026"));
        Diagnostic unknown = result.diagnostics().all().get(0);
        assertTrue(unknown.detail().startsWith("Did you mean 'name'?"), unknown.detail());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            top level           | 1  | 'verison: 1'                                         | version
            provider            | 3  | '  endpiont: embedded'                               | endpoint
            defaults, case      | 5  | '  Instance-ID: inst1'                               | instance_id
            certificate, case   | 9  | '    Cert_Content: ${file:shop.crt}'                 | cert_content
            certificate, typo   | 9  | '    cert_contnet: ${file:shop.crt}'                 | cert_content
            domain              | 12 | '      - { group_id: g1, domian: api.example.com }'  | domain
            lifecycle           | 15 | '    lifecycle: { prevent_destory: true }'           | prevent_destroy
            """)
    void nearMissKeys_inEveryMapping_getDidYouMean(String where, int line, String replacement, String suggestion)
            throws IOException {
        ManifestParser.Result result = parse(replaced(line, replacement));
        Diagnostic unknown = result.diagnostics().all().stream().filter(d -> d.summary().startsWith("unknown key"))
                .findFirst().orElseThrow(() -> new AssertionError(rendered(result)));
        assertEquals(line, unknown.range().line(), where);
        assertTrue(unknown.detail().startsWith("Did you mean '" + suggestion + "'?"), where + ": " + unknown.detail());
    }

    @Test
    void duplicateBinding_namesTheFirstBinding() throws IOException {
        ManifestParser.Result result = parse(replaced(19, "      - { group_id: g1, domain: api.example.com }"));
        Diagnostic duplicate = result.diagnostics().all().stream()
                .filter(d -> d.summary().contains("bound twice")).findFirst().orElseThrow();
        assertTrue(duplicate.detail().contains("certificate 'shop' at certform.yaml:12:9"), duplicate.detail());
    }

    @Test
    void sameDomainTwiceInOneCertificate_inTwoGroups_isOneAddressDeclaredTwice() throws IOException {
        ManifestParser.Result result = parse(replaced(13, "      - { group_id: g2, domain: API.example.com }"));
        assertEquals("certform.yaml:13:9: error: address shop[api.example.com] is declared twice", rendered(result));
        assertTrue(result.diagnostics().all().get(0).detail().contains("The first is at certform.yaml:12:9."));
    }

    @Test
    void sameDomainTwiceInOneGroup_isBoundTwice_andDeclaredTwice() throws IOException {
        ManifestParser.Result result = parse(replaced(13, "      - { group_id: g1, domain: api.example.com }"));
        assertEquals("certform.yaml:13:9: error: domain api.example.com is bound twice\n"
                + "certform.yaml:13:9: error: address shop[api.example.com] is declared twice", rendered(result));
    }

    @Test
    void sameDomainInTwoCertificates_inTwoGroups_isNeitherBoundNorDeclaredTwice() throws IOException {
        ManifestParser.Result result = parse(replaced(19, "      - { group_id: g2, domain: api.example.com }"));
        assertEquals("", rendered(result));
    }

    @Test
    void sameIdInTwoInstances_isNotBoundTwice_sameIdAsANameElsewhereIsNeither() throws IOException {
        ManifestParser.Result result = parse(replaced(19, "      - { instance_id: inst2, group_id: g1, domain_id: d2 }"));
        assertEquals("", rendered(result));
        result = parse(replaced(19, "      - { group_id: g1, domain_id: d2 }"));
        assertEquals("certform.yaml:19:9: error: domain d2 is bound twice", rendered(result));
    }

    /**
     * An aliased certificate (a second key for the same mapping) and an aliased domains list: each binding is
     * bound twice across certificates, and an address repeats only within its own certificate (the address map is
     * per certificate since ee553e0; these are the diagnostics of c5b76be, in its order).
     */
    @Test
    void aliasedCertificateAndDomains_reportBoundTwicePerBinding_addressesPerCertificate() throws IOException {
        String text = String.join("\n", VALID.subList(0, 6)) + "\n"
                + "  shop: &c\n"                                          // 7
                + "    name: shop_api_2026\n"                             // 8
                + "    cert_content: ${file:shop.crt}\n"                  // 9
                + "    private_key: ${env:SHOP_KEY}\n"                    // 10
                + "    domains: &d\n"                                     // 11
                + "      - { group_id: g1, domain: API.example.com }\n"   // 12
                + "      - { group_id: g1, domain_id: d1, domain: api.example.com }\n" // 13
                + "  again: *c\n"                                         // 14
                + "  other:\n"                                            // 15
                + "    name: other_2026\n"                                // 16
                + "    cert_content: ${file:shop.crt}\n"                  // 17
                + "    private_key: ${env:SHOP_KEY}\n"                    // 18
                + "    domains: *d\n";                                    // 19
        ManifestParser.Result result = parse(text);
        String twice = "certform.yaml:13:9: error: domain api.example.com is bound twice\n"
                + "certform.yaml:13:9: error: address %s[api.example.com] is declared twice\n";
        String again = "certform.yaml:12:9: error: domain api.example.com is bound twice\n"
                + "certform.yaml:13:9: error: domain d1 is bound twice\n"
                + "certform.yaml:13:9: error: domain api.example.com is bound twice\n"
                + "certform.yaml:13:9: error: address %s[api.example.com] is declared twice";
        assertEquals(String.format(twice, "shop") + String.format(again, "again") + "\n"
                + String.format(again, "other"), rendered(result));
    }

    @Test
    void manyProblems_areReportedTogetherInOneRun() throws IOException {
        String text = String.join("\n", VALID)
                .replace("name: shop_api_2026", "name: x")
                .replace("${env:SHOP_KEY}\n    domains:\n      - { group_id: g1, domain: api",
                        "${env:MISSING}\n    domains:\n      - { group_id: g1, domain: api")
                .replace("  status:", "  status:\n    colour: blue");
        ManifestParser.Result result = parse(text);
        String all = rendered(result);
        assertTrue(all.contains("invalid certificate name 'x'"), all);
        assertTrue(all.contains("environment variable MISSING is not set"), all);
        assertTrue(all.contains("unknown key 'colour'"), all);
        assertEquals(3, result.diagnostics().errorCount(), all);
    }

    @Test
    void aliasBomb_isRefusedWithoutExpanding() throws IOException {
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        char previous = 'a';
        for (char c = 'b'; c <= 'k'; c++) {
            bomb.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 10; i++) {
                bomb.append(i == 0 ? "" : ", ").append('*').append(previous);
            }
            bomb.append("]\n");
            previous = c;
        }
        ManifestParser.Result result = parse(bomb.toString());
        assertFalse(result.ok());
        String all = rendered(result);
        assertTrue(all.startsWith("certform.yaml: error: cannot read the manifest as YAML"), all);
        assertTrue(result.diagnostics().all().get(0).detail().contains("alias"), all);
    }

    @Test
    void missingManifest_saysHowToPointAtOne() {
        ManifestParser.Result result = new ManifestParser(environment).parse(dir.resolve("absent.yaml"), "absent.yaml");
        assertEquals("absent.yaml: error: cannot read the manifest: no such file",
                result.diagnostics().all().get(0).headline());
    }

    @Test
    void emptyManifest_isAnError() throws IOException {
        assertEquals("certform.yaml: error: the manifest is empty", rendered(parse("# nothing\n")));
    }

    @Test
    void referencesInsideText_andEscapes_areResolved() throws IOException {
        String text = String.join("\n", VALID).replace("name: shop_api_2026", "name: shop_${env:CA}")
                .replace("  endpoint: embedded", "  endpoint: embedded\n  region: $${literal}");
        ManifestParser.Result result = parse(text);
        // "shop_ca text" is not a valid name: proves the reference was substituted inside the text
        assertTrue(rendered(result).contains("invalid certificate name 'shop_ca text'"), rendered(result));
        ManifestParser.Result escaped = parse(String.join("\n", VALID).replace("  endpoint: embedded",
                "  endpoint: embedded\n  region: $${literal}"));
        assertTrue(escaped.ok(), rendered(escaped));
        assertEquals("${literal}", escaped.manifest().provider().region());
    }

    @Test
    void stateKey_isRelativeToTheManifest() throws IOException {
        ManifestParser.Result result = parse(String.join("\n", VALID) + "\nstate: states/prod.json\n");
        assertTrue(result.ok(), rendered(result));
        assertEquals(dir.resolve("states/prod.json"), result.manifest().statePath());
    }

    @Test
    void stateBlock_namesThePostgresBackend_withItsSettings() throws IOException {
        ManifestParser.Result result = parse(String.join("\n", VALID) + "\nstate:\n  backend: postgres\n"
                + "  url: jdbc:postgresql://db:5432/infra\n  workspace: prod\n  schema: team_a\n  lease: 2m\n");
        assertTrue(result.ok(), rendered(result));
        StateSettings state = result.manifest().state();
        assertEquals(StateSettings.Backend.POSTGRES, state.backend());
        assertEquals("jdbc:postgresql://db:5432/infra", state.url());
        assertEquals("prod", state.workspace());
        assertEquals("team_a", state.schema());
        assertEquals(java.time.Duration.ofMinutes(2), state.lease());
        assertEquals(dir.resolve("certform.state.json"), result.manifest().statePath(), "the local path stays");
    }

    @Test
    void stateBlock_local_takesAPath_andAPathAloneIsLocal() throws IOException {
        ManifestParser.Result block = parse(String.join("\n", VALID) + "\nstate: { backend: local, path: s/x.json }\n");
        assertTrue(block.ok(), rendered(block));
        assertEquals(StateSettings.Backend.LOCAL, block.manifest().state().backend());
        assertEquals(dir.resolve("s/x.json"), block.manifest().statePath());
        assertEquals(StateSettings.Backend.LOCAL, parse(String.join("\n", VALID) + "\nstate: a.json\n").manifest()
                .state().backend());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown backend | state: { backend: mysql } | certform.yaml:20:19: error: unknown state.backend 'mysql'",
            "postgres key on local | state: { url: x } | certform.yaml:20:10: error: state.url is for the postgres backend",
            "bad workspace | state: { backend: postgres, workspace: 'a b' } | certform.yaml:20:40: error: state.workspace: workspace 'a b' is not a valid name",
            "bad schema | state: { backend: postgres, schema: Team } | certform.yaml:20:37: error: state.schema: schema 'Team' is not a plain PostgreSQL name",
            "short lease | state: { backend: postgres, lease: 10ms } | certform.yaml:20:36: error: state.lease '10ms' is not a duration of 1s or more",
            "unknown key | state: { backend: postgres, table: x } | certform.yaml:20:29: error: unknown key 'table' in state"})
    void stateBlock_mistakes_areReportedWhereTheyAre(String name, String line, String expected) throws IOException {
        String all = rendered(parse(String.join("\n", VALID) + "\n" + line + "\n"));
        assertTrue(all.contains(expected), all);
    }

    @Test
    void instanceType_withoutInstanceId_isAnError() throws IOException {
        String text = String.join("\n", VALID).replace("defaults:\n  instance_id: inst1\n", "")
                .replace("    name: status_2026", "    name: status_2026\n    type: instance");
        String all = rendered(parse(text));
        assertTrue(all.contains("certificate 'status' has type 'instance' but no instance_id"), all);
        assertTrue(all.contains("a domain of certificate 'shop' has no instance_id"), all);
    }

    @Test
    void selfContainingAlias_isRefusedWithItsPosition() throws IOException {
        ManifestParser.Result result = parse("version: 1\nprovider: &p { endpoint: embedded, x: *p }\n");
        Diagnostic d = result.diagnostics().all().get(0);
        assertEquals("certform.yaml:2:39: error: YAML syntax error: found a recursive alias p (a node that contains"
                + " itself)", d.headline());
    }

    @Test
    void secondDocument_isRefused() throws IOException {
        ManifestParser.Result result = parse(String.join("\n", VALID) + "\n---\nversion: 1\n");
        Diagnostic d = result.diagnostics().all().get(0);
        assertEquals("certform.yaml:20:1: error: YAML syntax error: but found another document", d.headline());
    }

    @Test
    void aliasesToValues_areRead_andNullValuesAreEmpty() throws IOException {
        String text = String.join("\n", VALID).replace("  instance_id: inst1", "  instance_id: &inst inst1")
                .replace("      - { group_id: g1, domain_id: d2 }", "      - { group_id: g1, domain_id: d2,"
                        + " instance_id: *inst }")
                .replace("    name: status_2026", "    name: null");
        ManifestParser.Result result = parse(text);
        assertEquals("certform.yaml:15:11: error: certificate 'status' name is empty", rendered(result));
        assertEquals("inst1", result.read().certificates().get(0).bindings().get(1).instanceId());
    }

    @Test
    void mergeKey_isRefusedByName() throws IOException {
        String text = String.join("\n", VALID).replace("      - { group_id: g1, domain_id: d2 }",
                "      - { <<: { group_id: g1 }, domain_id: d2 }");
        assertTrue(rendered(parse(text)).startsWith("certform.yaml:13:11: error: YAML merge keys (<<) are not"
                + " supported in a domain of certificate 'shop'"), rendered(parse(text)));
    }
}
