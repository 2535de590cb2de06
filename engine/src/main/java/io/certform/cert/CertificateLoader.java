package io.certform.cert;

import io.certform.base.Secret;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Reads a PEM bundle (leaf first, then intermediates) and its private key, and checks them before anything is
 * sent: readable PEM, a key that belongs to the leaf, validity against the {@link CertificatePolicy}, chain
 * order, key strength and signature algorithm. Every problem is collected; nothing throws on bad input. PEM is
 * read as tools write it ({@link PemText}): a byte-order mark, CRLF and text around the blocks are accepted.
 */
public final class CertificateLoader {

    private static final int MIN_RSA_BITS = 2048;

    private final Clock clock;
    private final Map<Content, Checked> checked = new ConcurrentHashMap<>();

    /**
     * A loader for one run. It remembers what it checked by content, so a bundle and key that many entries share
     * (one wildcard certificate on thousands of domains) are parsed and checked once; only the validity window,
     * which depends on each entry's policy, is judged per call.
     */
    public CertificateLoader(Clock clock) {
        this.clock = clock;
    }

    /**
     * Reads and checks a bundle and its key.
     *
     * @param key        the private key; null to check the certificate alone (the manifest's key could not be read)
     * @param passphrase decrypts an encrypted key; null when none was given
     */
    public LoadedCertificate load(String certPem, Secret key, Secret passphrase, CertificatePolicy policy) {
        return load(certPem, "the bundle", key, passphrase, policy);
    }

    /**
     * Reads and checks a bundle and its key.
     *
     * @param bundleName how messages name the bundle, e.g. its file {@code certs/shop.crt}
     * @param key        the private key; null to check the certificate alone (the manifest's key could not be read)
     * @param passphrase decrypts an encrypted key; null when none was given
     */
    public LoadedCertificate load(String certPem, String bundleName, Secret key, Secret passphrase,
                                  CertificatePolicy policy) {
        Content content = new Content(certPem, bundleName, key == null ? null : key.reveal(),
                passphrase == null ? null : passphrase.reveal());
        Checked found = checked.computeIfAbsent(content, c -> check(certPem, bundleName, key, passphrase));
        List<CertificateProblem> problems = new ArrayList<>(found.beforeValidity());
        if (found.info() != null) {
            validity(found.info(), policy, problems);
            problems.addAll(found.afterValidity());
        }
        Secret keyToSend = key == null || found.sendableKey() == null ? null
                : found.sendableKey().equals(key.reveal()) ? key
                : new Secret(found.sendableKey(), key.origin() + (found.decrypted() ? " (decrypted)" : ""),
                key.range());
        return new LoadedCertificate(found.info(), problems, keyToSend);
    }

    /** Everything about a bundle and key that does not depend on the entry's policy. */
    private static Checked check(String certPem, String bundleName, Secret key, Secret passphrase) {
        List<CertificateProblem> problems = new ArrayList<>();
        List<X509CertificateHolder> chain = PemCertificates.read(certPem, "cert_content", problems);
        KeyReader.ReadKey readKey = key == null ? null : KeyReader.read(key, passphrase, problems);
        String sendable = readKey == null ? null : readKey.sendable().reveal();
        boolean decrypted = readKey != null && passphrase != null && !sendable.equals(key.reveal());
        if (chain.isEmpty()) {
            return new Checked(null, problems, List.of(), sendable, decrypted);
        }
        int leafAt = ChainCheck.misplacedLeaf(chain);
        if (leafAt > 0) {
            // Checked as the leaf it is, so that its key and names are not reported as wrong.
            List<X509CertificateHolder> reordered = new ArrayList<>(chain);
            reordered.add(0, reordered.remove(leafAt));
            problems.add(new CertificateProblem(true, "cert_content", "the leaf certificate ("
                    + Names.subject(chain.get(leafAt)) + ") is " + ordinal(leafAt + 1) + " in " + bundleName
                    + ": put it first",
                    "The API takes the first certificate of the bundle as the domain's certificate. List the leaf"
                            + " first, then each certificate followed by the one that signed it."));
            chain = reordered;
        }
        X509CertificateHolder leaf = chain.get(0);
        PublicKey publicKey = KeyMatch.publicKey(leaf);
        CertificateInfo info = CertificateFacts.info(chain, publicKey);
        if (readKey != null && !KeyMatch.matches(readKey.key(), publicKey, leaf, info.algorithmType())) {
            problems.add(new CertificateProblem(true, "private_key",
                    "the private key does not belong to the certificate (" + info.subject() + ", serial "
                            + info.serialNumber() + ")",
                    "Point private_key at the key the certificate was issued for; the API would refuse the pair"
                            + " (APIG.2101).", CertificateProblem.Kind.KEY_MISMATCH));
        }
        List<CertificateProblem> after = new ArrayList<>();
        if (leafAt <= 0) {
            ChainCheck.check(chain, after);
        }
        strength(chain, publicKey, after);
        return new Checked(info, problems, after, sendable, decrypted);
    }

    /** What a bundle, key and passphrase are, as a cache key; never printed. */
    private record Content(String certPem, String bundleName, String keyPem, String passphrase) {
        @Override
        public String toString() {
            return "(sensitive)";
        }
    }

    /**
     * The policy-independent outcome of checking a bundle and key.
     *
     * @param beforeValidity problems reading the bundle and key, the leaf's place, and a key mismatch
     * @param afterValidity  chain order and strength problems
     * @param sendableKey    the key block to send (decrypted when a passphrase was given); null when unreadable
     */
    private record Checked(CertificateInfo info, List<CertificateProblem> beforeValidity,
                           List<CertificateProblem> afterValidity, String sendableKey, boolean decrypted) {
        Checked {
            beforeValidity = List.copyOf(beforeValidity);
            afterValidity = List.copyOf(afterValidity);
        }

        @Override
        public String toString() {
            return "Checked[" + info + ", (key sensitive)]";
        }
    }

    /** Reads a trusted root CA bundle: one or more certificates. */
    public List<CertificateProblem> checkTrustedRootCa(String pem) {
        List<CertificateProblem> problems = new ArrayList<>();
        PemCertificates.read(pem, "trusted_root_ca", problems);
        return problems;
    }

    /** Reads a bundle of one or more certificates (trust anchors, say), messages naming it {@code field}. */
    public List<CertificateProblem> checkCertificates(String pem, String field) {
        List<CertificateProblem> problems = new ArrayList<>();
        PemCertificates.read(pem, field, problems);
        return problems;
    }

    /** SHA-256 over the DER of every certificate in a PEM bundle; null when it cannot be read. */
    public static String bundleSha256(String pem) {
        List<X509CertificateHolder> chain = PemCertificates.read(pem, "trusted_root_ca", new ArrayList<>());
        return chain.isEmpty() ? null : CertificateFacts.chainSha256(chain);
    }

    /** Whole days from {@code now} to {@code notAfter}, rounded down (negative once expired). */
    public static long daysLeft(Instant now, Instant notAfter) {
        return Math.floorDiv(Duration.between(now, notAfter).getSeconds(), 86_400);
    }

    private void validity(CertificateInfo info, CertificatePolicy policy, List<CertificateProblem> problems) {
        Instant now = clock.instant();
        String notAfter = info.notAfter().truncatedTo(ChronoUnit.SECONDS).toString();
        long days = daysLeft(now, info.notAfter());
        if (info.notAfter().isBefore(now)) {
            problems.add(new CertificateProblem(true, "cert_content", "the certificate expired on " + notAfter + " ("
                    + -days + (-days == 1 ? " day ago)" : " days ago)"),
                    "Renew it and point cert_content at the new bundle; the API refuses expired certificates"
                            + " (APIG.2102).", CertificateProblem.Kind.EXPIRY));
        } else if (info.notBefore().isAfter(now)) {
            long until = Math.max(1, Duration.between(now, info.notBefore()).toDays());
            problems.add(new CertificateProblem(true, "cert_content", "the certificate is not valid before "
                    + info.notBefore().truncatedTo(ChronoUnit.SECONDS) + " (in " + until + (until == 1 ? " day)"
                    : " days)"), "Clients would refuse it until then; bind it once it is valid, or check the"
                    + " issuing system's clock."));
        } else if (days < policy.minDaysRemaining()) {
            problems.add(new CertificateProblem(true, "cert_content", "the certificate expires on " + notAfter
                    + ", in " + days + (days == 1 ? " day" : " days") + ": less than min_days_remaining ("
                    + policy.minDaysRemaining() + ")",
                    "Renew it before binding it; or lower min_days_remaining for this certificate.",
                    CertificateProblem.Kind.EXPIRY));
        } else if (days < policy.expiryWarningDays()) {
            problems.add(new CertificateProblem(false, "cert_content", "the certificate expires on " + notAfter
                    + ", in " + days + (days == 1 ? " day" : " days"),
                    "Plan its renewal (expiry_warning_days is " + policy.expiryWarningDays() + ").",
                    CertificateProblem.Kind.EXPIRY));
        }
    }

    private static void strength(List<X509CertificateHolder> chain, PublicKey leafKey, List<CertificateProblem> problems) {
        if (leafKey instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            problems.add(new CertificateProblem(true, "cert_content", "the certificate's RSA key has "
                    + rsa.getModulus().bitLength() + " bits, fewer than " + MIN_RSA_BITS,
                    "Keys this short can be broken; issue a new certificate with an RSA 2048+ or an EC key."));
        }
        for (int i = 0; i < chain.size(); i++) {
            String algorithm = CertificateFacts.signatureAlgorithm(chain.get(i));
            if (algorithm.contains("SHA1")) {
                problems.add(new CertificateProblem(false, "cert_content", (i == 0 ? "the certificate"
                        : "certificate " + (i + 1) + " of the bundle (" + Names.subject(chain.get(i)) + ")")
                        + " is signed with SHA-1 (" + algorithm + ")",
                        "Browsers reject SHA-1 signatures; ask the issuer for a SHA-256 certificate."));
            }
        }
    }

    private static String ordinal(int position) {
        return switch (position) {
            case 2 -> "second";
            case 3 -> "third";
            case 4 -> "fourth";
            default -> "certificate " + position;
        };
    }

}
