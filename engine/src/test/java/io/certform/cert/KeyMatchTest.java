package io.certform.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.Secret;
import io.certform.testkit.TestCertificates;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The key-belongs-to-certificate check for every key family, in the forms users have: right key, wrong key. */
class KeyMatchTest {

    private static final TestCertificates.Authority CA = TestCertificates.authority("Match Root").intermediate("Match CA");

    private static KeyPair keys(String family) {
        return family.equals("rsa") ? TestCertificates.rsa(2048) : TestCertificates.ec(family);
    }

    private static List<String> errors(String chain, String key) {
        return new CertificateLoader(Clock.systemUTC()).load(chain, new Secret(key, "test", null), null,
                CertificatePolicy.DEFAULT).problems().stream().filter(CertificateProblem::error)
                .map(CertificateProblem::summary).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "secp256r1", "secp384r1", "sm2p256v1"})
    void ownKey_matches_anotherKeyOfTheSameFamily_doesNot(String family) {
        Instant now = Instant.now();
        TestCertificates.Issued leaf = CA.issue(keys(family), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)),
                "api.example.com");
        assertEquals(List.of(), errors(leaf.chainPem(), leaf.privateKeyPem()));
        assertEquals(List.of(), errors(leaf.chainPem(), TestCertificates.traditionalPem(leaf.keys().getPrivate())));

        String other = TestCertificates.pem(keys(family).getPrivate());
        List<String> mismatch = errors(leaf.chainPem(), other);
        assertEquals(1, mismatch.size(), mismatch.toString());
        assertTrue(mismatch.get(0).startsWith("the private key does not belong to the certificate"), mismatch.get(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"secp256r1", "sm2p256v1"})
    void ecCertificate_withAnRsaKey_doesNotMatch(String curve) {
        Instant now = Instant.now();
        TestCertificates.Issued leaf = CA.issue(keys(curve), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)),
                "api.example.com");
        List<String> mismatch = errors(leaf.chainPem(), TestCertificates.pem(TestCertificates.rsa(2048).getPrivate()));
        assertTrue(mismatch.get(0).startsWith("the private key does not belong to the certificate"), mismatch.toString());
    }
}
