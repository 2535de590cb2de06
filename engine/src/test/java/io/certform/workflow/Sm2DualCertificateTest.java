package io.certform.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.diag.Diagnostic;
import io.certform.diag.Severity;
import io.certform.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SM2 dual certificates are checked pair by pair, locally, before anything could be sent. */
class Sm2DualCertificateTest {

    private static TestCertificates.Issued encrypt;
    private static TestCertificates.Issued sign;
    private static TestCertificates.Issued rsa;
    private static TestCertificates.Issued otherName;
    private static TestCertificates.Issued expiredSign;

    @TempDir
    Path dir;

    @BeforeAll
    static void certificates() {
        TestCertificates.Authority ca = TestCertificates.sm2Authority("SM2 Root");
        encrypt = ca.issueSm2("api.shop.example.com");
        sign = ca.issueSm2("api.shop.example.com");
        otherName = ca.issueSm2("elsewhere.example.com");
        rsa = TestCertificates.authority("RSA Root").issue("api.shop.example.com");
        Instant now = Instant.now();
        expiredSign = ca.issue(TestCertificates.ec("sm2p256v1"), now.minus(Duration.ofDays(60)),
                now.minus(Duration.ofDays(1)), "api.shop.example.com");
    }

    private List<Diagnostic> load(TestCertificates.Issued enc, TestCertificates.Issued sig, String signKeyOf,
                                  String algorithm) throws Exception {
        Files.writeString(dir.resolve("enc.crt"), enc.chainPem());
        Files.writeString(dir.resolve("enc.key"), enc.privateKeyPem());
        Files.writeString(dir.resolve("sign.crt"), sig.chainPem());
        Files.writeString(dir.resolve("sign.key"), signKeyOf.equals("sign") ? sig.privateKeyPem()
                : enc.privateKeyPem());
        Path manifest = dir.resolve("certform.yaml");
        Files.writeString(manifest, """
                version: 1
                provider: { endpoint: embedded }
                defaults: { instance_id: inst1 }
                certificates:
                  gm:
                    name: gm_dual_2026
                    algorithm_type: %s
                    cert_content: ${file:enc.crt}
                    private_key: ${file:enc.key}
                    cert_content_sign: ${file:sign.crt}
                    private_key_sign: ${file:sign.key}
                    domains:
                      - { group_id: g1, domain: api.shop.example.com }
                """.formatted(algorithm));
        Workspace workspace = Workspace.load(manifest, "certform.yaml", null, Map.<String, String>of()::get,
                Clock.systemUTC(), "test");
        return workspace.diagnostics().all().stream().filter(d -> d.severity() == Severity.ERROR).toList();
    }

    private static String text(List<Diagnostic> diagnostics) {
        return diagnostics.stream().map(d -> d.headline() + " / " + d.detail()).collect(Collectors.joining("\n"));
    }

    @Test
    void goodPair_passesEveryLocalCheck_andIsRefusedOnlyForTheModelThatCannotSendIt() throws Exception {
        List<Diagnostic> errors = load(encrypt, sign, "sign", "SM2");
        assertEquals(1, errors.size(), text(errors));
        assertTrue(text(errors).contains("only the certificate-management calls can upload"), text(errors));
        assertTrue(errors.get(0).headline().contains("certform.yaml:10:"), "located at cert_content_sign");
    }

    @Test
    void signKeyOfTheOtherPair_isAKeyMismatchOnPrivateKeySign() throws Exception {
        String text = text(load(encrypt, sign, "enc", "SM2"));
        assertTrue(text.contains("(signing pair)"), text);
        assertTrue(text.contains("certform.yaml:11:"), "located at private_key_sign: " + text);
    }

    @Test
    void rsaSigningCertificate_isNotSm2() throws Exception {
        String text = text(load(encrypt, rsa, "sign", "SM2"));
        assertTrue(text.contains("the signing certificate's key is RSA, not SM2"), text);
    }

    @Test
    void expiredSigningCertificate_andOneNamingAnotherDomain_areErrors() throws Exception {
        String expired = text(load(encrypt, expiredSign, "sign", "SM2"));
        assertTrue(expired.contains("(signing pair)") && expired.contains("expired"), expired);
        String elsewhere = text(load(encrypt, otherName, "sign", "SM2"));
        assertTrue(elsewhere.contains("the signing certificate does not cover the domain api.shop.example.com"),
                elsewhere);
    }

    @Test
    void declaredAlgorithm_mustBeTheCertificates() throws Exception {
        String text = text(load(rsa, sign, "sign", "SM2"));
        assertTrue(text.contains("declares algorithm_type SM2, but its certificate's key is RSA"), text);
        String notSm2 = text(load(encrypt, sign, "sign", "RSA"));
        assertTrue(notSm2.contains("algorithm_type is not SM2"), notSm2);
        assertFalse(notSm2.contains("(signing pair)"), "a refused pair is not loaded: " + notSm2);
    }
}
