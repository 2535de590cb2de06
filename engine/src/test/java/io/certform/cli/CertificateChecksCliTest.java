package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Certificate checks as users meet them: validate, certs, plan and apply. */
class CertificateChecksCliTest {

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();
    private final TestCertificates.Authority ca = TestCertificates.authority("Checks Root CA");
    private final TestCertificates.Authority intermediate = ca.intermediate("Checks Intermediate CA");

    private void write(String name, String text) throws Exception {
        Files.writeString(dir.resolve(name), text);
    }

    private void certificate(String name, TestCertificates.Issued issued) throws Exception {
        write(name + ".crt", issued.certificatePem() + intermediate.certificatePem());
        write(name + ".key", issued.privateKeyPem());
    }

    private void manifest(String certificates) throws Exception {
        write("certform.yaml", """
                version: 1
                provider: { endpoint: embedded }
                defaults: { instance_id: inst1, group_id: grp1 }
                certificates:
                """ + certificates);
    }

    private static String entry(String key, String domain, String extra) {
        return """
                  %s:
                    name: %s_cert
                    cert_content: ${file:%s.crt}
                    private_key: ${file:%s.key}
                %s    domains:
                      - { domain: %s }
                """.formatted(key, key, key, key, extra, domain);
    }

    private CliRun certform(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("-f", dir.resolve("certform.yaml").toString()));
        return CliRun.run(env, "", all.toArray(String[]::new));
    }

    @Test
    void sm2Certificate_passesValidate_isReportedAsSm2_andApplies() throws Exception {
        Instant now = Instant.now();
        certificate("gm", intermediate.issue(TestCertificates.ec("sm2p256v1"), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(365)), "gm.example.com"));
        manifest(entry("gm", "gm.example.com", ""));
        CliRun validate = certform("validate");
        assertEquals(0, validate.exitCode(), validate.toString());
        CliRun certs = certform("certs");
        assertTrue(certs.out().lines().anyMatch(l -> l.startsWith("gm ") && l.contains(" SM2 ") && l.endsWith("ok")),
                certs.out());
        CliRun apply = certform("apply", "--auto-approve");
        assertEquals(0, apply.exitCode(), apply.toString());
        assertEquals("SM2", ShopWorld.resources(dir).get(0)
                .algorithmType());
    }

    @Test
    void validate_listsEveryBrokenCertificate_inOneRun_withLocations() throws Exception {
        Instant now = Instant.now();
        TestCertificates.Issued good = intermediate.issue("good.example.com");
        certificate("mismatch", intermediate.issue("mismatch.example.com"));
        write("mismatch.key", good.privateKeyPem());
        certificate("expired", intermediate.issue(TestCertificates.rsa(2048), now.minus(Duration.ofDays(90)),
                now.minus(Duration.ofDays(2)), "expired.example.com"));
        certificate("wrongsan", intermediate.issue("other.example.com"));
        certificate("weak", intermediate.issue(TestCertificates.rsa(1024), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(90)), "weak.example.com"));
        manifest(entry("mismatch", "mismatch.example.com", "") + entry("expired", "expired.example.com", "")
                + entry("wrongsan", "api.example.com", "") + entry("weak", "weak.example.com", ""));
        CliRun validate = certform("validate");
        assertEquals(1, validate.exitCode());
        String err = validate.err();
        assertTrue(err.contains(":8:18: error: certificate 'mismatch': the private key does not belong to the certificate"),
                err);
        assertTrue(err.contains(":13:19: error: certificate 'expired': the certificate expired on"), err);
        assertTrue(err.contains(":22:9: error: certificate 'wrongsan' does not cover the domain api.example.com"), err);
        assertTrue(err.contains("Its names are other.example.com."), err);
        assertTrue(err.contains(":25:19: error: certificate 'weak': the certificate's RSA key has 1024 bits, fewer than 2048"),
                err);
        assertTrue(err.contains("4 errors; nothing was changed."), err);
        assertFalse(Files.exists(dir.resolve("certform.state.json")));
    }

    @Test
    void aMissingFileInOneCertificate_doesNotHideAKeyMismatchInAnother_inValidatePlanOrApply() throws Exception {
        certificate("mismatch", intermediate.issue("mismatch.example.com"));
        write("mismatch.key", intermediate.issue("other.example.com").privateKeyPem());
        certificate("typo", intermediate.issue("typo.example.com"));
        manifest(entry("mismatch", "mismatch.example.com", "")
                + entry("typo", "typo.example.com", "").replace("${file:typo.crt}", "${file:tpyo.crt}"));
        for (String command : List.of("validate", "plan", "apply")) {
            CliRun run = command.equals("apply") ? certform(command, "--auto-approve") : certform(command);
            assertEquals(1, run.exitCode(), run.toString());
            String err = run.err();
            assertTrue(err.contains(":8:18: error: certificate 'mismatch': the private key does not belong to the"
                    + " certificate"), command + ": " + err);
            assertTrue(err.contains(":13:19: error: file not found: tpyo.crt (certificate 'typo' cert_content)"),
                    command + ": " + err);
            assertTrue(err.contains("2 errors; nothing was changed."), command + ": " + err);
        }
        assertFalse(Files.exists(dir.resolve("certform.state.json")));
    }

    @Test
    void anUnsetPassphraseVariable_isReported_withoutAKeyError_andTheCertificateIsStillChecked() throws Exception {
        Instant now = Instant.now();
        TestCertificates.Issued leaf = intermediate.issue(TestCertificates.rsa(2048), now.minus(Duration.ofDays(90)),
                now.minus(Duration.ofDays(2)), "secure.example.com");
        certificate("secure", leaf);
        write("secure.key", TestCertificates.encryptedPem(leaf.keys().getPrivate(), "pass phrase 1".toCharArray()));
        manifest(entry("secure", "secure.example.com", "    private_key_passphrase: ${env:SECURE_PASS}\n"));
        CliRun validate = certform("validate");
        assertEquals(1, validate.exitCode());
        String err = validate.err();
        assertTrue(err.contains("environment variable SECURE_PASS is not set"), err);
        assertTrue(err.contains("certificate 'secure': the certificate expired on"), err);
        assertFalse(err.contains("the private key is encrypted"), "the passphrase's absence is reported once: " + err);
        assertTrue(err.contains("2 errors; nothing was changed."), err);
    }

    @Test
    void pemFilesAsToolsWriteThem_validate_andApply_onTheSimulator() throws Exception {
        TestCertificates.Issued ecparam = intermediate.issue(TestCertificates.ec("secp256r1"),
                Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(200)), "ec.example.com");
        certificate("ecparam", ecparam);
        write("ecparam.key", TestCertificates.ecparamGenkeyPem(ecparam.keys()));
        TestCertificates.Issued bom = intermediate.issue("bom.example.com");
        write("bom.crt", TestCertificates.withByteOrderMark(bom.certificatePem() + intermediate.certificatePem()));
        write("bom.key", TestCertificates.withByteOrderMark(bom.privateKeyPem()));
        TestCertificates.Issued windows = intermediate.issue("crlf.example.com");
        write("crlf.crt", TestCertificates.crlf(windows.certificatePem() + intermediate.certificatePem()));
        write("crlf.key", TestCertificates.crlf(windows.privateKeyPem()));
        TestCertificates.Issued described = intermediate.issue("text.example.com");
        write("text.crt", TestCertificates.opensslTextPem(described.certificate())
                + TestCertificates.opensslTextPem(intermediate.certificate()));
        write("text.key", described.privateKeyPem());
        manifest(entry("ecparam", "ec.example.com", "") + entry("bom", "bom.example.com", "")
                + entry("crlf", "crlf.example.com", "") + entry("text", "text.example.com", ""));
        CliRun validate = certform("validate");
        assertEquals(0, validate.exitCode(), validate.toString());
        assertEquals("", validate.err());
        CliRun apply = certform("apply", "--auto-approve");
        assertEquals(0, apply.exitCode(), apply.toString());
        assertTrue(apply.out().contains("4 added"), apply.out());
    }

    @Test
    void aBundleWithTheLeafSecond_isNamedWithItsFile_notReportedAsAKeyOrDomainProblem() throws Exception {
        TestCertificates.Issued leaf = intermediate.issue("order.example.com");
        write("order.crt", intermediate.certificatePem() + leaf.certificatePem());
        write("order.key", leaf.privateKeyPem());
        manifest(entry("order", "order.example.com", ""));
        CliRun validate = certform("validate");
        assertEquals(1, validate.exitCode());
        String err = validate.err();
        assertTrue(err.contains(":7:19: error: certificate 'order': the leaf certificate (order.example.com) is second"
                + " in order.crt: put it first"), err);
        assertFalse(err.contains("does not belong"), err);
        assertFalse(err.contains("does not cover"), err);
        assertTrue(err.contains("1 error; nothing was changed."), err);
    }

    @Test
    void encryptedKey_withItsPassphrase_isDecryptedLocally_andApplied() throws Exception {
        TestCertificates.Issued leaf = intermediate.issue("secure.example.com");
        certificate("secure", leaf);
        write("secure.key", TestCertificates.encryptedPem(leaf.keys().getPrivate(), "pass phrase 1".toCharArray()));
        manifest(entry("secure", "secure.example.com", "    private_key_passphrase: ${env:SECURE_PASS}\n"));
        CliRun missing = certform("validate");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("environment variable SECURE_PASS is not set"), missing.err());

        env.put("SECURE_PASS", "wrong");
        CliRun wrong = certform("validate");
        assertTrue(wrong.err().contains(":9:29: error: certificate 'secure': the passphrase does not decrypt the private"
                + " key"), wrong.err());

        env.put("SECURE_PASS", "pass phrase 1");
        CliRun apply = certform("apply", "--auto-approve");
        assertEquals(0, apply.exitCode(), apply.toString());
        assertFalse(apply.all().contains("pass phrase 1"), "the passphrase is never printed");
        assertFalse(Files.readString(dir.resolve("certform.state.json")).contains("pass phrase 1"));
    }

    @Test
    void passphraseWrittenInTheManifest_isRefused() throws Exception {
        certificate("secure", intermediate.issue("secure.example.com"));
        manifest(entry("secure", "secure.example.com", "    private_key_passphrase: hunter2\n"));
        CliRun validate = certform("validate");
        assertTrue(validate.err().contains("certificate 'secure' has its private_key_passphrase written in the manifest"),
                validate.err());
        assertFalse(validate.all().contains("hunter2"));
    }

    @Test
    void certs_sortsByExpiry_showsStatus_andExitsOneOnAnyErrorWithFailOnProblem() throws Exception {
        Instant now = Instant.now();
        certificate("later", intermediate.issue(TestCertificates.ec("secp384r1"), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(300)), "later.example.com"));
        certificate("soon", intermediate.issue(TestCertificates.rsa(2048), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(20)).plusSeconds(3600), "soon.example.com"));
        certificate("gone", intermediate.issue(TestCertificates.rsa(2048), now.minus(Duration.ofDays(100)),
                now.minus(Duration.ofDays(1)), "gone.example.com"));
        manifest(entry("later", "later.example.com", "") + entry("soon", "soon.example.com", "")
                + entry("gone", "gone.example.com", ""));
        CliRun certs = certform("certs");
        assertEquals(0, certs.exitCode(), "a listing, whatever the health: " + certs);
        assertTrue(certs.err().strip().matches("(?s).*\\n\\d+ errors?\\."), "certs changes nothing anyway, and does"
                + " not say so: " + certs.err());
        assertEquals(1, certform("certs", "--fail-on-problem").exitCode(), "an expired certificate fails the gate");
        List<String> lines = certs.out().lines().toList();
        assertTrue(lines.get(0).startsWith("KEY"), certs.out());
        assertTrue(lines.get(1).startsWith("gone ") && lines.get(1).endsWith("expired"), certs.out());
        assertTrue(lines.get(2).startsWith("soon ") && lines.get(2).endsWith("expiring")
                && lines.get(2).contains(" 20 "), certs.out());
        assertTrue(lines.get(3).startsWith("later") && lines.get(3).contains("EC P-384") && lines.get(3).endsWith("ok"),
                certs.out());

        JsonNode json = JsonMapper.builder().build().readTree(certform("certs", "--json").out());
        assertEquals("gone", json.path("certificates").get(0).path("key").asString());
        assertEquals("error", json.path("certificates").get(0).path("problems").get(0).path("severity").asString());
        assertEquals(20, json.path("certificates").get(1).path("days_left").asInt());
        assertEquals("EC P-384", json.path("certificates").get(2).path("key_type").asString());

        manifest(entry("later", "later.example.com", "") + entry("soon", "soon.example.com", ""));
        assertEquals(0, certform("certs", "--fail-on-problem").exitCode(), "warnings alone pass the gate");
    }

    @Test
    void minDaysRemaining_inDefaults_turnsAnExpiringCertificateIntoAnError_forAPlanThatWouldSendIt() throws Exception {
        Instant now = Instant.now();
        certificate("soon", intermediate.issue(TestCertificates.rsa(2048), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(20)).plusSeconds(3600), "soon.example.com"));
        write("certform.yaml", """
                version: 1
                provider: { endpoint: embedded }
                defaults: { instance_id: inst1, group_id: grp1, min_days_remaining: 30, expiry_warning_days: 60 }
                certificates:
                """ + entry("soon", "soon.example.com", ""));
        // validate knows no plan: whether it would be sent depends on the state and the gateway
        CliRun validate = certform("validate");
        assertEquals(0, validate.exitCode(), validate.toString());
        assertTrue(validate.err().contains(", in 20 days: less than min_days_remaining (30)"), validate.err());
        assertTrue(validate.err().contains("plan and apply refuse to upload or bind it"), validate.err());
        CliRun plan = certform("plan");
        assertEquals(1, plan.exitCode(), "a new binding would send it: " + plan);
        assertTrue(plan.err().contains("error: certificate 'soon': the certificate expires on"), plan.err());
        assertTrue(plan.err().contains("This run would send it: soon[soon.example.com] (create)."), plan.err());
    }

    @Test
    void planOfARenewal_showsSerialIssuerAndExpiry_beforeAndAfter() throws Exception {
        Instant now = Instant.now();
        var keys = TestCertificates.rsa(2048);
        TestCertificates.Issued first = ca.issue(keys, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(100)),
                "renew.example.com");
        write("renew.crt", first.certificatePem() + ca.certificatePem());
        write("renew.key", first.privateKeyPem());
        manifest(entry("renew", "renew.example.com", ""));
        assertEquals(0, certform("apply", "--auto-approve").exitCode());
        TestCertificates.Issued second = intermediate.issue(keys, now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(400)), "renew.example.com");
        write("renew.crt", second.certificatePem() + intermediate.certificatePem());
        CliRun plan = certform("plan");
        assertTrue(plan.out().contains("~ issuer         = \"Checks Root CA\" -> \"Checks Intermediate CA\""), plan.out());
        assertTrue(plan.out().contains("~ serial_number  = \"" + first.serialHex() + "\" -> \"" + second.serialHex()
                + "\""), plan.out());
        assertTrue(plan.out().contains("(399 days left)") || plan.out().contains("(400 days left)"), plan.out());
        assertFalse(plan.out().contains("private_key"), "a renewal on the same key does not change the key: "
                + plan.out());
    }

    @Test
    void planShowsThePrivateKeyAsChanged_onlyWhenTheCertificateComesWithANewKey() throws Exception {
        TestCertificates.Issued first = intermediate.issue("rekey.example.com");
        certificate("rekey", first);
        manifest(entry("rekey", "rekey.example.com", ""));
        assertEquals(0, certform("apply", "--auto-approve").exitCode());
        assertTrue(Files.readString(dir.resolve("certform.state.json")).contains("\"public_key_sha256\" : \""),
                "the key's fingerprint is recorded");
        certificate("rekey", intermediate.issue("rekey.example.com"));
        CliRun plan = certform("plan");
        assertTrue(plan.out().matches("(?s).*~ private_key +=.*"), plan.out());

        // A binding recorded without the fingerprint: a new certificate may bring a new key, so it is shown.
        certificate("rekey", first);
        assertEquals(0, certform("apply", "--auto-approve").exitCode());
        Path state = dir.resolve("certform.state.json");
        Files.writeString(state, Files.readString(state).replaceAll(",\\s*\"public_key_sha256\" : \"[0-9a-f]+\"", ""));
        certificate("rekey", intermediate.issue(first.keys(), Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(300)), "rekey.example.com"));
        CliRun unknown = certform("plan");
        assertTrue(unknown.out().contains("~ private_key"), unknown.out());
    }
}
