package io.certform.cert;

import io.certform.base.Secret;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads a PEM bundle (leaf first, then intermediates) and its private key, and checks them before anything is
 * sent: readable PEM, a key that belongs to the leaf, validity against the {@link CertificatePolicy}, chain
 * order, key strength and signature algorithm. Every problem is collected; nothing throws on bad input. PEM is
 * read as tools write it ({@link PemText}): a byte-order mark, CRLF and text around the blocks are accepted.
 */
public final class CertificateLoader {

    private static final ASN1ObjectIdentifier EC_PUBLIC_KEY = new ASN1ObjectIdentifier("1.2.840.10045.2.1");
    private static final ASN1ObjectIdentifier SM2_CURVE = new ASN1ObjectIdentifier("1.2.156.10197.1.301");
    private static final ASN1ObjectIdentifier P256 = new ASN1ObjectIdentifier("1.2.840.10045.3.1.7");
    private static final ASN1ObjectIdentifier P384 = new ASN1ObjectIdentifier("1.3.132.0.34");
    private static final ASN1ObjectIdentifier P521 = new ASN1ObjectIdentifier("1.3.132.0.35");
    private static final byte[] CHALLENGE = "certform key match".getBytes(StandardCharsets.UTF_8);
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
        List<X509CertificateHolder> chain = readCertificates(certPem, "cert_content", problems);
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
        PublicKey publicKey = publicKey(leaf);
        CertificateInfo info = info(chain, publicKey);
        if (readKey != null && !matches(readKey.key(), publicKey, leaf, info.algorithmType())) {
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
        readCertificates(pem, "trusted_root_ca", problems);
        return problems;
    }

    /** Reads a bundle of one or more certificates (trust anchors, say), messages naming it {@code field}. */
    public List<CertificateProblem> checkCertificates(String pem, String field) {
        List<CertificateProblem> problems = new ArrayList<>();
        readCertificates(pem, field, problems);
        return problems;
    }

    /** SHA-256 over the DER of every certificate in a PEM bundle; null when it cannot be read. */
    public static String bundleSha256(String pem) {
        List<X509CertificateHolder> chain = readCertificates(pem, "trusted_root_ca", new ArrayList<>());
        return chain.isEmpty() ? null : chainSha256(chain);
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
            String algorithm = signatureAlgorithm(chain.get(i));
            if (algorithm.contains("SHA1")) {
                problems.add(new CertificateProblem(false, "cert_content", (i == 0 ? "the certificate"
                        : "certificate " + (i + 1) + " of the bundle (" + Names.subject(chain.get(i)) + ")")
                        + " is signed with SHA-1 (" + algorithm + ")",
                        "Browsers reject SHA-1 signatures; ask the issuer for a SHA-256 certificate."));
            }
        }
    }

    private static List<X509CertificateHolder> readCertificates(String pem, String field,
                                                                List<CertificateProblem> problems) {
        List<X509CertificateHolder> chain = new ArrayList<>();
        if (pem == null || pem.isBlank()) {
            problems.add(new CertificateProblem(true, field, "the " + field + " is empty",
                    "Point it at a PEM file that starts with -----BEGIN CERTIFICATE-----."));
            return chain;
        }
        try (PEMParser parser = new PEMParser(new StringReader(PemText.clean(pem)))) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof X509CertificateHolder holder) {
                    chain.add(holder);
                } else {
                    problems.add(new CertificateProblem(true, field, "the " + field
                            + " holds a PEM block that is not a certificate (" + kind(object) + ")",
                            "Keep only CERTIFICATE blocks there: the leaf first, then its intermediates."));
                    return List.of();
                }
            }
        } catch (IOException | RuntimeException e) {
            problems.add(new CertificateProblem(true, field, "the " + field + " is not valid PEM",
                    "Expected -----BEGIN CERTIFICATE----- blocks with base64 between them."));
            return List.of();
        }
        if (chain.isEmpty()) {
            problems.add(new CertificateProblem(true, field, "the " + field + " holds no PEM certificate",
                    "Expected -----BEGIN CERTIFICATE----- blocks; DER files must be converted to PEM first"
                            + " (openssl x509 -inform der -in cert.der -out cert.pem)."));
        }
        return chain;
    }

    private static String ordinal(int position) {
        return switch (position) {
            case 2 -> "second";
            case 3 -> "third";
            case 4 -> "fourth";
            default -> "certificate " + position;
        };
    }

    private static PublicKey publicKey(X509CertificateHolder leaf) {
        try {
            return CryptoProvider.publicKey(leaf.getSubjectPublicKeyInfo());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("a parsed certificate has no usable public key", e);
        }
    }

    /** Whether the key is the certificate's: by its numbers where it can, else by signing a challenge. */
    private static boolean matches(PrivateKey key, PublicKey publicKey, X509CertificateHolder leaf,
                                   String algorithmType) {
        try {
            Boolean belongs = CryptoProvider.belongs(key, publicKey, leaf.getSubjectPublicKeyInfo());
            if (belongs != null) {
                return belongs;
            }
        } catch (RuntimeException e) {
            return false;
        }
        String algorithm = switch (algorithmType) {
            case "RSA" -> "SHA256withRSA";
            case "SM2" -> "SM3withSM2";
            default -> "SHA256withECDSA";
        };
        try {
            Signature signer = Signature.getInstance(algorithm, CryptoProvider.bouncyCastle());
            signer.initSign(key);
            signer.update(CHALLENGE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm, CryptoProvider.bouncyCastle());
            verifier.initVerify(publicKey);
            verifier.update(CHALLENGE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /**
     * A certificate's validity time as RFC 5280 writes it ({@code YYMMDDHHMMSSZ}, the years 1950-2049, or
     * {@code YYYYMMDDHHMMSSZ}), read digit by digit; any other form through BouncyCastle. BouncyCastle's own reading
     * formats through {@code SimpleDateFormat}, whose first use loads the locale data: about a twentieth of a second
     * of a short command.
     */
    static Instant instant(org.bouncycastle.asn1.x509.Time time) {
        org.bouncycastle.asn1.ASN1Primitive value = time.toASN1Primitive();
        String digits = null; // YYMMDDHHMMSS, in UTC
        int century = 0;
        if (value instanceof org.bouncycastle.asn1.ASN1UTCTime utc) {
            String text = utc.toString();
            if (text.length() == 13 && text.charAt(12) == 'Z' && digits(text, 12)) {
                century = Integer.parseInt(text, 0, 2, 10) < 50 ? 2000 : 1900;
                digits = text;
            }
        } else if (value instanceof org.bouncycastle.asn1.ASN1GeneralizedTime generalized) {
            String text = generalized.getTimeString();
            if (text.length() == 15 && text.charAt(14) == 'Z' && digits(text, 14)) {
                century = Integer.parseInt(text, 0, 2, 10) * 100;
                // before 1583 BouncyCastle's SimpleDateFormat counts on the Julian calendar, java.time does not
                digits = century >= 1600 ? text.substring(2) : null;
            }
        }
        if (digits != null) {
            try {
                return java.time.LocalDateTime.of(century + Integer.parseInt(digits, 0, 2, 10),
                        Integer.parseInt(digits, 2, 4, 10), Integer.parseInt(digits, 4, 6, 10),
                        Integer.parseInt(digits, 6, 8, 10), Integer.parseInt(digits, 8, 10, 10),
                        Integer.parseInt(digits, 10, 12, 10)).toInstant(java.time.ZoneOffset.UTC);
            } catch (java.time.DateTimeException e) {
                // not a real date: BouncyCastle says what it makes of it
            }
        }
        return time.getDate().toInstant();
    }

    private static boolean digits(String text, int count) {
        for (int i = 0; i < count; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static CertificateInfo info(List<X509CertificateHolder> chain, PublicKey publicKey) {
        X509CertificateHolder leaf = chain.get(0);
        List<String> dns = new ArrayList<>();
        GeneralNames san = GeneralNames.fromExtensions(leaf.getExtensions(), Extension.subjectAlternativeName);
        if (san != null) {
            for (GeneralName name : san.getNames()) {
                if (name.getTagNo() == GeneralName.dNSName) {
                    dns.add(name.getName().toString());
                }
            }
        }
        String cn = Names.commonName(leaf.getSubject());
        if (dns.isEmpty() && cn != null) {
            dns.add(cn);
        }
        String algorithmType = algorithmType(leaf);
        try {
            return new CertificateInfo(sha256(leaf.getEncoded()), chainSha256(chain),
                    leaf.getSerialNumber().toString(16), instant(leaf.toASN1Structure().getStartDate()),
                    instant(leaf.toASN1Structure().getEndDate()), algorithmType, keyDescription(leaf, publicKey, algorithmType),
                    Names.subject(leaf), dns, Names.issuer(leaf), signatureAlgorithm(leaf),
                    sha256(leaf.getSubjectPublicKeyInfo().getEncoded()));
        } catch (IOException e) {
            throw new IllegalStateException("re-encoding a parsed certificate failed", e);
        }
    }

    private static String algorithmType(X509CertificateHolder certificate) {
        var algorithm = certificate.getSubjectPublicKeyInfo().getAlgorithm();
        if (algorithm.getAlgorithm().equals(EC_PUBLIC_KEY)) {
            return SM2_CURVE.equals(algorithm.getParameters()) ? "SM2" : "ECC";
        }
        return "RSA";
    }

    private static String keyDescription(X509CertificateHolder leaf, PublicKey key, String algorithmType) {
        if (key instanceof RSAPublicKey rsa) {
            return "RSA " + rsa.getModulus().bitLength();
        }
        if (algorithmType.equals("SM2")) {
            return "SM2";
        }
        Object curve = leaf.getSubjectPublicKeyInfo().getAlgorithm().getParameters();
        if (P256.equals(curve)) {
            return "EC P-256";
        }
        if (P384.equals(curve)) {
            return "EC P-384";
        }
        if (P521.equals(curve)) {
            return "EC P-521";
        }
        return "EC";
    }

    private static String signatureAlgorithm(X509CertificateHolder certificate) {
        return CryptoProvider.signatureName(certificate);
    }

    private static String chainSha256(List<X509CertificateHolder> chain) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (X509CertificateHolder certificate : chain) {
                digest.update(certificate.getEncoded());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String kind(Object object) {
        if (object instanceof PEMKeyPair || object instanceof PrivateKeyInfo
                || object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair) {
            return "a private key";
        }
        return object.getClass().getSimpleName();
    }
}
