package io.certform.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.Secret;
import io.certform.base.SourceRange;
import io.certform.testkit.TestCertificates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One loader checks a shared bundle and key once, yet every entry that names them gets its own answer: the validity
 * window under its own policy, and the key to send with its own origin.
 */
class CertificateLoaderReuseTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final CertificateLoader loader = new CertificateLoader(Clock.fixed(NOW, ZoneOffset.UTC));
    private final TestCertificates.Authority issuing = TestCertificates.authority("Reuse Root").intermediate("Reuse CA");

    private static List<String> summaries(LoadedCertificate loaded) {
        return loaded.problems().stream().map(p -> (p.error() ? "error: " : "warning: ") + p.summary()).toList();
    }

    @Test
    void sameBundle_underTwoPolicies_isJudgedByEachPolicy() {
        TestCertificates.Issued leaf = issuing.issue(TestCertificates.ec("secp256r1"), NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(20)), "*.example.com");
        String bundle = leaf.chainPem();
        Secret key = new Secret(leaf.privateKeyPem(), "file a.key", SourceRange.ofFile("a.key"));

        LoadedCertificate strict = loader.load(bundle, key, null, new CertificatePolicy(30, 25));
        LoadedCertificate lenient = loader.load(bundle, key, null, new CertificatePolicy(10, 7));
        LoadedCertificate warned = loader.load(bundle, key, null, new CertificatePolicy(30, 7));

        assertTrue(summaries(strict).get(0).startsWith("error: the certificate expires on"), summaries(strict).toString());
        assertEquals(List.of(), summaries(lenient));
        assertTrue(summaries(warned).get(0).startsWith("warning: the certificate expires on"), summaries(warned).toString());
        assertSame(strict.info(), lenient.info());
    }

    @Test
    void sharedEncryptedKey_isDecryptedForEachEntry_withThatEntrysOrigin() {
        TestCertificates.Issued leaf = issuing.issue(TestCertificates.ec("secp256r1"), NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(200)), "*.example.com");
        String encrypted = TestCertificates.encryptedPem(leaf.keys().getPrivate(), "pw".toCharArray());
        Secret first = new Secret(encrypted, "file a.key", SourceRange.ofFile("a.key"));
        Secret second = new Secret(encrypted, "env B_KEY", SourceRange.ofFile("b.yaml"));
        Secret passphrase = new Secret("pw", "env PASS", null);

        LoadedCertificate a = loader.load(leaf.chainPem(), first, passphrase, CertificatePolicy.DEFAULT);
        LoadedCertificate b = loader.load(leaf.chainPem(), second, passphrase, CertificatePolicy.DEFAULT);

        assertTrue(a.ok() && b.ok(), summaries(a) + " " + summaries(b));
        assertEquals("file a.key (decrypted)", a.keyToSend().origin());
        assertEquals("env B_KEY (decrypted)", b.keyToSend().origin());
        assertEquals(a.keyToSend().reveal(), b.keyToSend().reveal());
        assertNotEquals(encrypted, b.keyToSend().reveal());

        LoadedCertificate wrong = loader.load(leaf.chainPem(), second, new Secret("nope", "env PASS", null),
                CertificatePolicy.DEFAULT);
        assertEquals(List.of("error: the passphrase does not decrypt the private key"), summaries(wrong));
    }

    @Test
    void plainKey_isSentAsTheEntrysOwnSecret() {
        TestCertificates.Issued leaf = issuing.issue("*.example.com");
        Secret first = new Secret(leaf.privateKeyPem(), "file a.key", SourceRange.ofFile("a.key"));
        Secret second = new Secret(leaf.privateKeyPem(), "file b.key", SourceRange.ofFile("b.key"));

        assertSame(first, loader.load(leaf.chainPem(), first, null, CertificatePolicy.DEFAULT).keyToSend());
        assertSame(second, loader.load(leaf.chainPem(), second, null, CertificatePolicy.DEFAULT).keyToSend());
    }
}
