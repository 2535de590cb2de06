package io.certform.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code acme:} block of a certificate entry and the top-level {@code keystore:} block: what validate checks. */
class ManifestAcmeTest {

    @TempDir
    Path dir;

    private final Environment environment = Map.of("KS", "keystore-password", "HMAC", "c2VjcmV0", "EMPTY", "",
            "DIR", "https://acme.example.com/directory")::get;

    /** A valid manifest with one ACME entry; the cases replace one line (1-based) to break it. */
    private static final List<String> VALID = List.of(
            "version: 1",                                                           // 1
            "provider: { endpoint: embedded }",                                     // 2
            "defaults: { instance_id: inst1 }",                                     // 3
            "keystore:",                                                            // 4
            "  password: ${env:KS}",                                                // 5
            "certificates:",                                                        // 6
            "  wild:",                                                              // 7
            "    name: wildcard_acme",                                              // 8
            "    mode: shared",                                                     // 9
            "    acme:",                                                            // 10
            "      directory: ${env:DIR}",                                          // 11
            "      contact: mailto:platform@example.com",                           // 12
            "      key_type: ec384",                                                // 13
            "      names: [\"*.shop.example.com\", shop.example.com]",              // 14
            "      renew_before: 30d",                                              // 15
            "      challenge: { dns: huaweicloud, resolvers: [\"127.0.0.1:8053\"] }", // 16
            "      eab: { key_id: kid1, hmac_key: \"${env:HMAC}\" }",               // 17
            "    domains:",                                                         // 18
            "      - { match: \"*.shop.example.com\" }",                            // 19
            "      - { group_id: g1, domain: shop.example.com }");                  // 20

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

    private static String errors(ManifestParser.Result result) {
        return result.diagnostics().all().stream().filter(d -> d.severity() == Severity.ERROR)
                .map(Diagnostic::headline).collect(Collectors.joining("\n"));
    }

    @Test
    void validAcmeEntry_isReadIntoItsRecords_withNoMaterial() throws IOException {
        ManifestParser.Result result = parse(String.join("\n", VALID));
        assertTrue(result.ok(), errors(result));
        CertificateSpec wild = result.manifest().certificates().get(0);
        assertTrue(wild.issued());
        assertNull(wild.certContent(), "no material until it is issued");
        assertNull(wild.privateKey());
        AcmeSpec acme = wild.acme();
        assertEquals("https://acme.example.com/directory", acme.directory());
        assertEquals(List.of("mailto:platform@example.com"), acme.contacts());
        assertEquals(AcmeSpec.KeyType.EC384, acme.keyType());
        assertEquals("EC P-384", acme.keyType().label());
        assertEquals(List.of("*.shop.example.com", "shop.example.com"), acme.names());
        assertEquals(Duration.ofDays(30), acme.renewBefore());
        assertEquals("huaweicloud", acme.challenge().dns());
        assertEquals(List.of("127.0.0.1:8053"), acme.challenge().resolvers());
        assertEquals("kid1", acme.eab().keyId());
        assertEquals("(sensitive)", acme.eab().hmacKey().toString());
        assertEquals("keystore-password", result.manifest().keystore().password().reveal());
        assertEquals("(sensitive)", result.manifest().keystore().password().toString());
        assertEquals(List.of(wild), result.manifest().issued());
    }

    @Test
    void defaults_theDomainsNames_ec256_andHuaweiCloudDns() throws IOException {
        String text = replaced(13, "      # key_type").replace("      names: [\"*.shop.example.com\", shop.example.com]\n",
                "").replace("      renew_before: 30d\n", "").replace(VALID.get(15) + "\n", "");
        ManifestParser.Result result = parse(text);
        assertTrue(result.ok(), errors(result));
        AcmeSpec acme = result.manifest().certificates().get(0).acme();
        assertEquals(AcmeSpec.KeyType.EC256, acme.keyType());
        assertEquals(List.of("*.shop.example.com", "shop.example.com"), acme.names(), "a pattern counts as its wildcard");
        assertFalse(acme.namesDeclared());
        assertNull(acme.renewBefore(), "default: a third of the lifetime, known once issued");
        assertEquals("huaweicloud", acme.challenge().dns());
    }

    @ParameterizedTest(name = "line {0}: {2}")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
            "11|      directory: ftp://acme.example.com/dir|certform.yaml:11:18: error: certificate 'wild' acme directory 'ftp://acme.example.com/dir' is not an http(s) URL with a host",
            "11|      directory: http://acme.example.com/dir|certform.yaml:11:18: error: certificate 'wild' acme directory 'http://acme.example.com/dir' is plain http to another machine: ACME runs over https",
            "11|      # no directory|certform.yaml:12:7: error: certificate 'wild' acme is missing 'directory'",
            "12|      contact: platform@example.com|certform.yaml:12:16: error: certificate 'wild' acme contact 'platform@example.com' is not a mailto: address",
            "13|      key_type: rsa1024|certform.yaml:13:17: error: certificate 'wild' acme key_type 'rsa1024' is not a key type",
            "14|      names: [\"api.*.example.com\"]|certform.yaml:14:15: error: certificate 'wild' acme name 'api.*.example.com' is not a domain name",
            "14|      names: [\"*.example.com\"]|certform.yaml:19:9: error: certificate 'wild' acme names do not cover the domain *.shop.example.com",
            "14|      names: [\"*.shop.example.com\"]|certform.yaml:20:9: error: certificate 'wild' acme names do not cover the domain shop.example.com",
            "15|      renew_before: 0d|certform.yaml:15:21: error: certificate 'wild' acme renew_before '0d' is not a duration from 1s to 3649d",
            "15|      renew_before: 3650d|certform.yaml:15:21: error: certificate 'wild' acme renew_before '3650d' is not a duration from 1s to 3649d",
            "15|      renew_before: soon|certform.yaml:15:21: error: certificate 'wild' acme renew_before 'soon' is not a duration from 1s to 3649d",
            "16|      challenge: { dns: http }|certform.yaml:16:25: error: certificate 'wild' acme challenge dns 'http' is not huaweicloud or exec",
            "16|      challenge: { dns: exec }|certform.yaml:16:18: error: certificate 'wild' acme challenge has dns: exec but no exec block",
            "16|      challenge: { dns: exec, exec: { present: [], cleanup: [hook] } }|certform.yaml:16:48: error: certificate 'wild' acme challenge exec present is an empty command",
            "16|      challenge: { dns: exec, exec: { present: [hook] } }|certform.yaml:16:37: error: certificate 'wild' acme challenge exec is missing 'cleanup'",
            "16|      challenge: { resolvers: [\"127.0.0.1\"] }|certform.yaml:16:32: error: certificate 'wild' acme challenge resolver '127.0.0.1' is not HOST:PORT",
            "16|      challenge: { resolvers: [\"ns1.example.com:99999\"] }|certform.yaml:16:32: error: certificate 'wild' acme challenge resolver 'ns1.example.com:99999' is not HOST:PORT",
            "17|      eab: { key_id: kid1, hmac_key: c2VjcmV0 }|certform.yaml:17:38: error: certificate 'wild' acme eab has its hmac_key written in the manifest",
            "17|      eab: { key_id: kid1 }|certform.yaml:17:12: error: certificate 'wild' acme eab is missing 'hmac_key'",
            "5|  password: hunter2|certform.yaml:5:13: error: keystore has its password written in the manifest",
            "5|  password: \"${env:EMPTY}\"|certform.yaml:5:13: error: keystore password is empty (env EMPTY)",
            "4|keystore_:|certform.yaml:4:1: error: unknown key 'keystore_' in the manifest",
            "9|    cert_content: ${env:KS}|certform.yaml:9:5: error: certificate 'wild' has both acme and cert_content",
    })
    void badAcmeBlock_isAnErrorNamingWhatAndWhere(int line, String with, String expected) throws IOException {
        ManifestParser.Result result = parse(replaced(line, with));
        assertFalse(result.ok(), "must be refused: " + with);
        assertTrue(errors(result).contains(expected), "expected\n  " + expected + "\nin\n" + errors(result));
        assertFalse(errors(result).contains("c2VjcmV0") || errors(result).contains("hunter2"), errors(result));
    }

    @Test
    void acmeEntry_withoutAKeystore_isAnError() throws IOException {
        ManifestParser.Result result = parse(replaced(4, "").replace("  password: ${env:KS}\n", ""));
        assertFalse(result.ok());
        assertTrue(errors(result).contains("certform.yaml:10:7: error: certificate 'wild' is issued by ACME, but the"
                + " manifest has no keystore block"), errors(result));
    }

    @Test
    void neitherFilesNorAcme_isAnError_thatSuggestsBoth() throws IOException {
        String text = String.join("\n", VALID.subList(0, 9)) + "\n" + String.join("\n", VALID.subList(17, 20));
        ManifestParser.Result result = parse(text);
        assertFalse(result.ok());
        String all = result.diagnostics().all().stream().map(d -> d.headline() + " " + d.detail())
                .collect(Collectors.joining("\n"));
        assertTrue(all.contains("certificate 'wild' is missing 'cert_content'") && all.contains("acme:"), all);
    }

    @Test
    void aDomainNamedByIdOnly_needsNames() throws IOException {
        String text = replaced(20, "      - { group_id: g1, domain_id: d1 }").replace(VALID.get(13) + "\n", "");
        ManifestParser.Result result = parse(text);
        assertTrue(errors(result).contains("certificate 'wild' acme: the domain d1 is named by id only"),
                errors(result));
        // with names, a domain given by id is checked at plan time, not here
        assertTrue(parse(replaced(20, "      - { group_id: g1, domain_id: d1 }")).ok());
    }

    @Test
    void aNameNoDomainNeeds_isAWarning() throws IOException {
        ManifestParser.Result result = parse(replaced(14,
                "      names: [\"*.shop.example.com\", shop.example.com, extra.example.org]"));
        assertTrue(result.ok(), errors(result));
        assertTrue(result.diagnostics().all().stream().anyMatch(d -> d.severity() == Severity.WARNING
                && d.headline().contains("orders extra.example.org, which none of its domains needs")));
    }

    @Test
    void execChallenge_isReadAsCommands() throws IOException {
        ManifestParser.Result result = parse(replaced(16, "      challenge: { dns: exec, exec: { present: [./hook,"
                + " present], cleanup: [./hook, cleanup] } }"));
        assertTrue(result.ok(), errors(result));
        AcmeSpec.Challenge c = result.manifest().certificates().get(0).acme().challenge();
        assertTrue(c.exec());
        assertEquals(List.of("./hook", "present"), c.present());
        assertEquals(List.of("./hook", "cleanup"), c.cleanup());
    }

    @Test
    void coverage_isOneLabelUnderAWildcard() {
        assertTrue(AcmeReader.covers("*.example.com", "api.example.com"));
        assertTrue(AcmeReader.covers("*.example.com", "*.example.com"));
        assertTrue(AcmeReader.covers("*.example.com", "api-*.example.com"));
        assertFalse(AcmeReader.covers("*.example.com", "a.b.example.com"));
        assertFalse(AcmeReader.covers("*.example.com", "example.com"));
        assertFalse(AcmeReader.covers("*.example.com", "**.example.com"));
        assertFalse(AcmeReader.covers("api.example.com", "www.example.com"));
    }
}
