package io.certform.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.Secret;
import io.certform.testkit.TestCertificates;
import io.certform.testkit.TestCertificates.Authority;
import io.certform.testkit.TestCertificates.Issued;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every certificate and key case of the certificate checks, generated at run time, with its exact diagnostic. */
class CertificateLoaderTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final CertificateLoader LOADER = new CertificateLoader(Clock.fixed(NOW, ZoneOffset.UTC));
    private static Authority root;
    private static Authority intermediate;

    @BeforeAll
    static void authorities() {
        root = TestCertificates.authority("Loader Root CA");
        intermediate = root.intermediate("Loader Intermediate CA");
    }

    private static Secret secret(String text) {
        return new Secret(text, "test", null);
    }

    private static LoadedCertificate load(String chain, String key) {
        return LOADER.load(chain, secret(key), null, CertificatePolicy.DEFAULT);
    }

    private static Issued leaf(KeyPair keys, Duration from, Duration to) {
        return intermediate.issue(keys, NOW.plus(from), NOW.plus(to), "api.example.com");
    }

    private static Issued leaf(KeyPair keys) {
        return leaf(keys, Duration.ofDays(-1), Duration.ofDays(365));
    }

    /** The bundle as users ship it: leaf, then the intermediate that signed it. */
    private static String bundle(Issued leaf) {
        return leaf.certificatePem() + intermediate.certificatePem();
    }

    private static List<String> summaries(LoadedCertificate loaded) {
        return loaded.problems().stream().map(p -> (p.error() ? "error: " : "warning: ") + p.summary()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "RSA 2048,      RSA,  RSA 2048",
            "EC P-256,      ECC,  EC P-256",
            "EC P-384,      ECC,  EC P-384",
            "SM2,           SM2,  SM2"})
    void supportedAlgorithms_loadCleanly_withTheApisAlgorithmType(String name, String algorithmType, String description) {
        KeyPair keys = switch (name) {
            case "RSA 2048" -> TestCertificates.rsa(2048);
            case "EC P-256" -> TestCertificates.ec("secp256r1");
            case "EC P-384" -> TestCertificates.ec("secp384r1");
            default -> TestCertificates.ec("sm2p256v1");
        };
        Issued leaf = leaf(keys);
        LoadedCertificate loaded = load(bundle(leaf), leaf.privateKeyPem());
        assertEquals(List.of(), summaries(loaded));
        assertTrue(loaded.ok());
        assertEquals(algorithmType, loaded.info().algorithmType());
        assertEquals(description, loaded.info().keyDescription());
        assertEquals(leaf.serialHex(), loaded.info().serialNumber());
        assertEquals("Loader Intermediate CA", loaded.info().issuer());
        assertEquals(64, loaded.info().sha256().length());
    }

    @Test
    void keyFormats_pkcs8_pkcs1_sec1_allLoad() {
        Issued rsa = leaf(TestCertificates.rsa(2048));
        Issued ec = leaf(TestCertificates.ec("secp256r1"));
        assertTrue(load(bundle(rsa), TestCertificates.traditionalPem(rsa.keys().getPrivate())).ok(), "PKCS#1");
        assertTrue(TestCertificates.traditionalPem(rsa.keys().getPrivate()).startsWith("-----BEGIN RSA PRIVATE KEY"));
        assertTrue(load(bundle(ec), TestCertificates.traditionalPem(ec.keys().getPrivate())).ok(), "SEC1");
        assertTrue(TestCertificates.traditionalPem(ec.keys().getPrivate()).startsWith("-----BEGIN EC PRIVATE KEY"));
        assertTrue(load(bundle(ec), ec.privateKeyPem()).ok(), "PKCS#8");
    }

    @Test
    void rsa1024_isAnError() {
        Issued weak = leaf(TestCertificates.rsa(1024));
        assertEquals(List.of("error: the certificate's RSA key has 1024 bits, fewer than 2048"),
                summaries(load(bundle(weak), weak.privateKeyPem())));
    }

    @Test
    void expired_isAnError() {
        Issued old = leaf(TestCertificates.ec("secp256r1"), Duration.ofDays(-40), Duration.ofDays(-10));
        assertEquals(List.of("error: the certificate expired on " + NOW.minus(Duration.ofDays(10)) + " (10 days ago)"),
                summaries(load(bundle(old), old.privateKeyPem())));
    }

    @Test
    void notYetValid_isAnError() {
        Issued future = leaf(TestCertificates.ec("secp256r1"), Duration.ofDays(5), Duration.ofDays(400));
        assertEquals(List.of("error: the certificate is not valid before " + NOW.plus(Duration.ofDays(5)) + " (in 5 days)"),
                summaries(load(bundle(future), future.privateKeyPem())));
    }

    @Test
    void expiringIn3Days_isBelowMinDaysRemaining_anError() {
        Issued soon = leaf(TestCertificates.ec("secp256r1"), Duration.ofDays(-80), Duration.ofDays(3).plusHours(1));
        assertEquals(List.of("error: the certificate expires on " + NOW.plus(Duration.ofDays(3).plusHours(1))
                        + ", in 3 days: less than min_days_remaining (7)"),
                summaries(load(bundle(soon), soon.privateKeyPem())));
    }

    @Test
    void expiringIn20Days_isAWarning_andThresholdsAreConfigurable() {
        Issued soon = leaf(TestCertificates.ec("secp256r1"), Duration.ofDays(-80), Duration.ofDays(20).plusHours(1));
        LoadedCertificate loaded = load(bundle(soon), soon.privateKeyPem());
        assertEquals(List.of("warning: the certificate expires on " + NOW.plus(Duration.ofDays(20).plusHours(1))
                + ", in 20 days"), summaries(loaded));
        assertTrue(loaded.ok(), "a warning does not stop a plan");
        assertEquals(List.of(), summaries(LOADER.load(bundle(soon), secret(soon.privateKeyPem()), null,
                new CertificatePolicy(10, 7))), "expiry_warning_days 10: no warning at 20 days");
        assertTrue(summaries(LOADER.load(bundle(soon), secret(soon.privateKeyPem()), null,
                new CertificatePolicy(60, 30))).get(0).startsWith("error: "), "min_days_remaining 30: an error");
    }

    @Test
    void mismatchedKey_isAnError_namingTheCertificate() {
        Issued leaf = leaf(TestCertificates.rsa(2048));
        Issued other = leaf(TestCertificates.rsa(2048));
        assertEquals(List.of("error: the private key does not belong to the certificate (api.example.com, serial "
                + leaf.serialHex() + ")"), summaries(load(bundle(leaf), other.privateKeyPem())));
    }

    @Test
    void mismatchedKeyTypes_isAnError() {
        Issued leaf = leaf(TestCertificates.rsa(2048));
        Issued ec = leaf(TestCertificates.ec("secp256r1"));
        assertTrue(summaries(load(bundle(leaf), ec.privateKeyPem())).get(0)
                .startsWith("error: the private key does not belong to the certificate"));
    }

    @Test
    void encryptedKey_decryptsWithTheRightPassphrase_andIsSentDecrypted() {
        Issued leaf = leaf(TestCertificates.ec("secp384r1"));
        for (String encrypted : List.of(TestCertificates.encryptedPem(leaf.keys().getPrivate(), "s3cret".toCharArray()),
                TestCertificates.legacyEncryptedPem(leaf.keys().getPrivate(), "s3cret".toCharArray()))) {
            LoadedCertificate loaded = LOADER.load(bundle(leaf), secret(encrypted), secret("s3cret"),
                    CertificatePolicy.DEFAULT);
            assertEquals(List.of(), summaries(loaded));
            assertTrue(loaded.keyToSend().reveal().startsWith("-----BEGIN PRIVATE KEY-----"), "sent as plain PKCS#8");
            assertEquals("test (decrypted)", loaded.keyToSend().origin());
        }
    }

    @Test
    void encryptedKey_withTheWrongPassphrase_orNone_isAnError() {
        Issued leaf = leaf(TestCertificates.ec("secp256r1"));
        String encrypted = TestCertificates.encryptedPem(leaf.keys().getPrivate(), "right".toCharArray());
        LoadedCertificate wrong = LOADER.load(bundle(leaf), secret(encrypted), secret("wrong"), CertificatePolicy.DEFAULT);
        assertEquals(List.of("error: the passphrase does not decrypt the private key"), summaries(wrong));
        assertEquals("private_key_passphrase", wrong.problems().get(0).field());
        assertEquals(List.of("error: the private key is encrypted"), summaries(load(bundle(leaf), encrypted)));
    }

    @Test
    void garbage_empty_andMisplacedPem_areErrors() {
        Issued leaf = leaf(TestCertificates.rsa(2048));
        assertEquals(List.of("error: the cert_content is not valid PEM"),
                summaries(load("-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n", leaf.privateKeyPem())));
        assertEquals(List.of("error: the cert_content holds no PEM certificate"),
                summaries(load("just some text", leaf.privateKeyPem())));
        assertEquals(List.of("error: the cert_content is empty"), summaries(load("  \n", leaf.privateKeyPem())));
        assertEquals(List.of("error: the cert_content holds a PEM block that is not a certificate (a private key)"),
                summaries(load(leaf.privateKeyPem(), leaf.privateKeyPem())));
        assertEquals(List.of("error: the private key is not a PEM private key"),
                summaries(load(bundle(leaf), "not a key")));
        assertEquals(List.of("error: the private key is empty"), summaries(load(bundle(leaf), "")));
        assertNull(load("just some text", leaf.privateKeyPem()).info());
    }

    @Test
    void problems_neverQuoteKeyMaterial() {
        Issued leaf = leaf(TestCertificates.rsa(2048));
        String keyLine = leaf.privateKeyPem().lines().skip(1).findFirst().orElseThrow();
        LoadedCertificate loaded = load(leaf.privateKeyPem(), leaf.privateKeyPem().replace(keyLine, keyLine + "!!"));
        for (CertificateProblem p : loaded.problems()) {
            assertFalse((p.summary() + p.detail()).contains(keyLine.substring(0, 20)));
        }
    }

    @Test
    void chainInOrder_isClean_andOutOfOrder_isAnError() {
        Issued leaf = leaf(TestCertificates.rsa(2048));
        assertEquals(List.of(), summaries(load(leaf.certificatePem() + intermediate.certificatePem()
                + root.certificatePem(), leaf.privateKeyPem())));
        assertEquals(List.of("error: the chain is out of order: certificate 2 (Loader Root CA) did not sign certificate 1"
                        + " (api.example.com)"),
                summaries(load(leaf.certificatePem() + root.certificatePem() + intermediate.certificatePem(),
                        leaf.privateKeyPem())));
    }

    @Test
    void intermediateThatDidNotSign_isAnError() {
        Issued leaf = leaf(TestCertificates.rsa(2048));
        Authority stranger = TestCertificates.authority("Stranger CA");
        assertEquals(List.of("error: the chain is broken: certificate 2 (Stranger CA) did not sign certificate 1"
                + " (api.example.com)"), summaries(load(leaf.certificatePem() + stranger.certificatePem(),
                leaf.privateKeyPem())));
    }

    @Test
    void leafWithoutItsIssuer_isAWarning_butASelfSignedLeafIsNot() {
        Issued leaf = leaf(TestCertificates.rsa(2048));
        assertEquals(List.of("warning: the bundle does not include the issuer of the certificate"
                + " (Loader Intermediate CA)"), summaries(load(leaf.certificatePem(), leaf.privateKeyPem())));
        KeyPair keys = TestCertificates.ec("secp256r1");
        Issued self = TestCertificates.selfSigned(keys, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(90)),
                "api.example.com");
        assertEquals(List.of(), summaries(load(self.certificatePem(), self.privateKeyPem())));
    }

    @Test
    void sha1Signature_isAWarning() {
        KeyPair keys = TestCertificates.rsa(2048);
        Issued sha1 = intermediate.issueSigned("SHA1withRSA", keys, NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(90)), "api.example.com");
        LoadedCertificate loaded = load(bundle(sha1), sha1.privateKeyPem());
        assertEquals(List.of("warning: the certificate is signed with SHA-1 (SHA1WITHRSA)"), summaries(loaded));
        assertNotNull(loaded.info());
    }

    @Test
    void pemWhitespace_doesNotChangeTheIdentity_butTheChainDoes() {
        Issued leaf = leaf(TestCertificates.rsa(2048));
        CertificateInfo a = load(bundle(leaf), leaf.privateKeyPem()).info();
        CertificateInfo b = load("\n\n" + bundle(leaf).replace("\n", "\r\n"), leaf.privateKeyPem()).info();
        CertificateInfo c = load(leaf.certificatePem(), leaf.privateKeyPem()).info();
        assertEquals(a.sha256(), b.sha256());
        assertEquals(a.chainSha256(), b.chainSha256());
        assertEquals(a.sha256(), c.sha256(), "same leaf");
        assertFalse(a.chainSha256().equals(c.chainSha256()), "different chain");
    }

    @Test
    void ecparamGenkeyFile_withItsEcParametersBlock_loads_andOnlyTheKeyBlockIsSent() {
        Issued leaf = leaf(TestCertificates.ec("secp256r1"));
        String keyFile = TestCertificates.ecparamGenkeyPem(leaf.keys());
        assertTrue(keyFile.startsWith("-----BEGIN EC PARAMETERS-----"), keyFile.lines().findFirst().orElse(""));
        LoadedCertificate loaded = load(bundle(leaf), keyFile);
        assertEquals(List.of(), summaries(loaded));
        assertEquals(TestCertificates.traditionalPem(leaf.keys().getPrivate()), loaded.keyToSend().reveal());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"byte-order mark", "CRLF line endings", "text around the blocks"})
    void pemAsToolsWriteIt_loadsCleanly_bundleAndKey(String form) {
        Issued leaf = leaf(TestCertificates.rsa(2048));
        String bundle = switch (form) {
            case "byte-order mark" -> TestCertificates.withByteOrderMark(bundle(leaf));
            case "CRLF line endings" -> TestCertificates.crlf(bundle(leaf));
            default -> TestCertificates.opensslTextPem(leaf.certificate())
                    + TestCertificates.opensslTextPem(intermediate.certificate());
        };
        String key = switch (form) {
            case "byte-order mark" -> TestCertificates.withByteOrderMark(leaf.privateKeyPem());
            case "CRLF line endings" -> TestCertificates.crlf(leaf.privateKeyPem());
            default -> "Private-Key: (2048 bit, 2 primes)\n" + leaf.privateKeyPem() + "\n# end\n";
        };
        LoadedCertificate loaded = load(bundle, key);
        assertEquals(List.of(), summaries(loaded), form);
        assertEquals(leaf.serialHex(), loaded.info().serialNumber(), "the leaf is read, not skipped");
        assertEquals(load(bundle(leaf), leaf.privateKeyPem()).info().chainSha256(), loaded.info().chainSha256());
        assertEquals(leaf.privateKeyPem(), loaded.keyToSend().reveal(), "the key block alone is sent");
        assertEquals(bundle(leaf), PemText.clean(bundle), "the bundle's blocks alone are sent");
    }

    @Test
    void leafSecond_isNamedAsSuch_andNotReportedAsAKeyMismatch() {
        Issued leaf = leaf(TestCertificates.rsa(2048));
        LoadedCertificate loaded = LOADER.load(intermediate.certificatePem() + leaf.certificatePem(), "certs/x.crt",
                secret(leaf.privateKeyPem()), null, CertificatePolicy.DEFAULT);
        assertEquals(List.of("error: the leaf certificate (api.example.com) is second in certs/x.crt: put it first"),
                summaries(loaded));
        assertEquals(List.of("api.example.com"), loaded.info().dnsNames(), "the leaf's names, not the intermediate's");
        assertEquals(List.of("error: the leaf certificate (api.example.com) is third in the bundle: put it first"),
                summaries(load(root.certificatePem() + intermediate.certificatePem() + leaf.certificatePem(),
                        leaf.privateKeyPem())));
    }
}
