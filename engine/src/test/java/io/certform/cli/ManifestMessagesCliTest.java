package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How manifest problems read in a terminal: the location, the source line with a caret, the suggestion. */
class ManifestMessagesCliTest {

    @TempDir
    Path dir;

    private CliRun validate(String manifest, Map<String, String> env) throws Exception {
        Files.writeString(dir.resolve("certform.yaml"), manifest);
        return CliRun.run(env, "", "validate", "-f", dir.resolve("certform.yaml").toString());
    }

    @Test
    void aNearMissKey_showsItsLine_aCaretUnderIt_andTheSuggestion() throws Exception {
        CliRun run = validate("""
                version: 1
                provider: { endpoint: embedded }
                defaults: { instance_id: inst1, group_id: grp1 }
                certificates:
                  shop:
                    name: shop_api
                    cert_contnet: ${file:shop.crt}
                    private_key: ${env:SHOP_KEY}
                    domains: [{ domain: api.example.com }]
                """, Map.of("SHOP_KEY", "k"));
        assertEquals(1, run.exitCode());
        String expected = dir.resolve("certform.yaml") + ":7:5: error: unknown key 'cert_contnet' in certificate 'shop'\n"
                + "  7 |     cert_contnet: ${file:shop.crt}\n"
                + "    |     ^\n"
                + "  Did you mean 'cert_content'? Allowed keys:";
        assertTrue(run.err().contains(expected), run.err());
    }

    @Test
    void anUnclosedFlowMapping_isNamedOnTheLineThatOpensIt() throws Exception {
        CliRun run = validate("version: 1\nprovider: { endpoint: embedded\ncertificates: {}\n", Map.of());
        assertEquals(1, run.exitCode());
        String err = run.err();
        assertTrue(err.startsWith(dir.resolve("certform.yaml") + ":2:11: error: YAML syntax error: the '{' opened on"
                + " line 2 is never closed\n"), err);
        assertTrue(err.contains("  2 | provider: { endpoint: embedded\n    |           ^\n"), err);
        assertTrue(err.contains("Close it with '}' at the end of line 2"), err);
        assertFalse(err.contains("expected ','"), err);
        assertFalse(err.toLowerCase(java.util.Locale.ROOT).contains("while while"), err);
    }

    @Test
    void anEndpointWithAUserAndPassword_isRefused_withoutShowingThem() throws Exception {
        CliRun run = validate("version: 1\nprovider:\n  endpoint: http://ops:Hunter2pw@127.0.0.1:8443\n"
                + "certificates: {}\n", Map.of());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("provider.endpoint 'http://...@127.0.0.1:8443' carries a user name"), run.err());
        assertFalse(run.all().contains("Hunter2pw"), run.all());
        assertFalse(run.all().contains("ops:"), run.all());
    }

    @Test
    void badIndentation_namesTheBlockTheLineIsIn() throws Exception {
        CliRun run = validate("version: 1\nprovider:\n  endpoint: embedded\n project_id: p\n", Map.of());
        assertEquals(1, run.exitCode(), run.toString());
        String err = run.err();
        assertTrue(err.contains("bad indentation on line 4"), err);
        assertTrue(err.contains("The line is in the block of line 2 ('provider:')."), err);
        assertFalse(err.contains("line 1 ('version: 1')"), err);
    }

    @Test
    void badIndentation_underTheSecondOfTwoSiblings_namesThatSibling() throws Exception {
        CliRun run = validate("""
                version: 1
                provider: { endpoint: embedded }
                certificates:
                  shop:
                    name: shop_api
                  status:
                    name: status_api
                   type: global
                """, Map.of());
        assertEquals(1, run.exitCode(), run.toString());
        String err = run.err();
        assertTrue(err.contains("bad indentation on line 8"), err);
        assertTrue(err.contains("The line is in the block of line 6 ('status:')."), err);
    }

    /**
     * The common YAML mistakes, as validate prints them: in words of indentation, tabs, quotes and colons, with the
     * line to fix and a caret under where to fix it, never the parser's tokens.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', textBlock = """
            bad indentation       | version: 1\\ncertificates:\\n  shop:\\n    name: shop_api\\n   type: global\\n                     | 5:4 | bad indentation on line 5: it does not line up with the keys above it | '  5 |    type: global\\n    |    ^\\n'
            indented too deep     | version: 1\\nprovider:\\n  endpoint: embedded\\n   project_id: p1\\n                       | 4:4 | bad indentation: line 4 is indented deeper than line 3, whose value is already given | '  4 |    project_id: p1\\n    |    ^\\n'
            a tab                 | version: 1\\ncertificates:\\n  shop:\\n\\tname: shop_api\\n                                      | 4:1 | a tab in the indentation of line 4 | 'Replace the tab with spaces'
            an unclosed quote     | version: 1\\ncertificates:\\n  shop:\\n    name: "shop_api\\n    type: global\\n          | 4:11 | the " opened on line 4 is never closed | '  4 |     name: "shop_api\\n    |           ^\\n'
            a missing colon       | version: 1\\nprovider\\ncertificates: {}\\n                                                | 2:1 | line 2 has no ':' after its key 'provider' | '  2 | provider\\n    | ^\\n'
            a missing colon, mid  | version: 1\\ncertificates:\\n  shop:\\n    name shop_api\\n    type: global\\n             | 4:5 | line 4 has no ':' after its key 'name' | '  4 |     name shop_api\\n    |     ^\\n'
            a list item too far in | version: 1\\ncertificates:\\n  shop:\\n    domains:\\n      - { domain: a.example.com }\\n     - { domain: b.example.com }\\n | 6:6 | a list item at the wrong depth on line 6 | 'The items above start in column 7 (line 5: ''- { domain: a.example.com }''), this one in column 6.'
            a list item too far out | version: 1\\ncertificates:\\n  shop:\\n    domains:\\n    - { domain: a.example.com }\\n  - { domain: b.example.com }\\n | 6:3 | a list item at the wrong depth on line 6 | '  6 |   - { domain: b.example.com }\\n    |   ^\\n'
            a stray closing brace  | version: 1\\nprovider: { endpoint: embedded }}\\n | 2:33 | a '}' on line 2 that closes nothing | '  2 | provider: { endpoint: embedded }}\\n'
            text after a quoted value | version: 1\\ncertificates:\\n  shop:\\n    name: "shop" api\\n | 4:18 | more after the quoted value on line 4 | '  4 |     name: "shop" api\\n'
            a value in backquotes  | version: 1\\ncertificates:\\n  shop:\\n    name: `shop_api`\\n | 4:11 | a value on line 4 starts with '`', which YAML reserves | 'put the whole value in quotes'
            """)
    void aCommonYamlMistake_speaksOfIndentation_andShowsTheLine(String mistake, String manifest, String at,
                                                                 String summary, String shown) throws Exception {
        CliRun run = validate(manifest.replace("\\n", "\n").replace("\\t", "\t"), Map.of());
        assertEquals(1, run.exitCode(), run.toString());
        String err = run.err();
        assertTrue(err.startsWith(dir.resolve("certform.yaml") + ":" + at + ": error: YAML syntax error: " + summary
                + "\n"), err);
        assertTrue(err.contains(shown.replace("\\n", "\n")), err);
        for (String jargon : new String[] {"<block", "block end", "block mapping", "simple key", "scalar", "token",
                "stream"}) {
            assertFalse(err.contains(jargon), jargon + " in:\n" + err);
        }
    }

    @Test
    void aLineThatMayHoldASecret_isNotShown() throws Exception {
        CliRun run = validate("""
                version: 1
                provider: { endpoint: embedded }
                defaults: { instance_id: inst1, group_id: grp1 }
                certificates:
                  shop:
                    name: shop_api
                    cert_content: ${file:shop.crt}
                    private_key: MIIEvQIBADANBgkqhkiG9w0BAQEFAASC
                    domains: [{ domain: api.example.com }]
                """, Map.of());
        assertTrue(run.err().contains("certificate 'shop' has its private key written in the manifest"), run.err());
        assertFalse(run.all().contains("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"), run.all());
    }

    /**
     * A secret under a misspelt key is no longer one of the secret fields: neither a private key's PEM nor the
     * value of an unknown key is shown when a diagnostic points at its line.
     */
    @Test
    void aSecretUnderAMisspeltKey_isNotShown() throws Exception {
        CliRun typo = validate("""
                version: 1
                provider: { endpoint: embedded }
                defaults: { instance_id: inst1, group_id: grp1 }
                certificates:
                  shop:
                    name: shop_api
                    cert_content: ${file:shop.crt}
                    private_key: ${env:SHOP_KEY}
                    sign_key: "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----"
                    domains: [{ domain: api.example.com }]
                """, Map.of("SHOP_KEY", "k"));
        assertTrue(typo.err().contains("unknown key 'sign_key'"), typo.err());
        assertFalse(typo.all().contains("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"), typo.all());

        CliRun provider = validate("""
                version: 1
                provider: { endpoint: embedded, acess_sk: 9f8e7d6c5b4a39281706f5e4d3c2b1a0 }
                defaults: { instance_id: inst1, group_id: grp1 }
                certificates: {}
                """, Map.of());
        assertTrue(provider.err().contains("acess_sk"), provider.err());
        assertFalse(provider.all().contains("9f8e7d6c5b4a39281706f5e4d3c2b1a0"), provider.all());
        assertTrue(provider.err().contains("  2 | provider: { endpoint: embedded, acess_sk: \u2026\n"), provider.err());
    }

    /** A manifest nested beyond reason is a located error like any other, not a crash of the reader. */
    @Test
    void deepNesting_isAnError_notAStackOverflow() throws Exception {
        String deep = "[".repeat(200_000) + "]".repeat(200_000);
        CliRun run = validate("version: 1\nprovider: { endpoint: embedded }\ncertificates:\n  shop: " + deep + "\n",
                Map.of());
        assertEquals(1, run.exitCode(), run.err().length() > 2000 ? run.err().substring(0, 2000) : run.err());
        assertTrue(run.err().contains("certform.yaml:4:"), run.err().length() > 2000 ? run.err().substring(0, 2000)
                : run.err());
        assertFalse(run.all().contains("StackOverflowError"), "reported as a manifest problem");
        CliRun fmt = CliRun.run(Map.of(), "", "fmt", dir.resolve("certform.yaml").toString());
        assertFalse(fmt.all().contains("StackOverflowError"), fmt.err().length() > 2000
                ? fmt.err().substring(0, 2000) : fmt.err());
    }
}
