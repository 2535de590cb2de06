package io.certform.cert;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads a PEM bundle (leaf first, then intermediates) and its private key, and checks what the API would
 * refuse: unreadable PEM, an encrypted key, a key that does not belong to the leaf, an expired leaf.
 */
public final class CertificateLoader {

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final ASN1ObjectIdentifier EC_PUBLIC_KEY = new ASN1ObjectIdentifier("1.2.840.10045.2.1");
    private static final ASN1ObjectIdentifier SM2_CURVE = new ASN1ObjectIdentifier("1.2.156.10197.1.301");
    private static final byte[] CHALLENGE = "certform key match".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final Clock clock;

    public CertificateLoader(Clock clock) {
        this.clock = clock;
    }

    /** Reads and checks a bundle and key; never throws on bad input, and never puts key material in a problem. */
    public LoadedCertificate load(String certPem, String keyPem) {
        List<CertificateProblem> problems = new ArrayList<>();
        List<X509CertificateHolder> chain = readCertificates(certPem, "cert_content", problems);
        PrivateKey key = keyPem == null ? null : readKey(keyPem, problems);
        if (chain.isEmpty()) {
            return new LoadedCertificate(null, problems);
        }
        X509CertificateHolder leaf = chain.get(0);
        CertificateInfo info = info(chain);
        if (key != null && !matches(key, leaf, info.algorithmType())) {
            problems.add(new CertificateProblem(true, "private_key",
                    "the private key does not belong to the certificate (" + info.subject() + ", serial "
                            + info.serialNumber() + ")",
                    "Point private_key at the key the certificate was issued for; the API would refuse the pair"
                            + " (APIG.2101)."));
        }
        Instant now = clock.instant();
        if (info.notAfter().isBefore(now)) {
            problems.add(new CertificateProblem(true, "cert_content",
                    "the certificate expired on " + info.notAfter() + " (" + daysBetween(info.notAfter(), now)
                            + " days ago)",
                    "Renew it and point cert_content at the new bundle; the API refuses expired certificates."));
        }
        return new LoadedCertificate(info, problems);
    }

    /** Reads a trusted root CA bundle: one or more certificates. */
    public List<CertificateProblem> checkTrustedRootCa(String pem) {
        List<CertificateProblem> problems = new ArrayList<>();
        readCertificates(pem, "trusted_root_ca", problems);
        return problems;
    }

    /** SHA-256 over the DER of every certificate in a PEM bundle; null when it cannot be read. */
    public static String bundleSha256(String pem) {
        List<CertificateProblem> ignored = new ArrayList<>();
        List<X509CertificateHolder> chain = readCertificates(pem, "trusted_root_ca", ignored);
        return chain.isEmpty() ? null : chainSha256(chain);
    }

    private static List<X509CertificateHolder> readCertificates(String pem, String field,
                                                                List<CertificateProblem> problems) {
        List<X509CertificateHolder> chain = new ArrayList<>();
        if (pem == null || pem.isBlank()) {
            problems.add(new CertificateProblem(true, field, "the " + field + " is empty",
                    "Point it at a PEM file that starts with -----BEGIN CERTIFICATE-----."));
            return chain;
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
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
                    "Expected -----BEGIN CERTIFICATE----- blocks; DER files must be converted to PEM first."));
        }
        return chain;
    }

    private static PrivateKey readKey(String pem, List<CertificateProblem> problems) {
        Object object;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            object = parser.readObject();
        } catch (IOException | RuntimeException e) {
            object = null;
        }
        if (object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair) {
            problems.add(new CertificateProblem(true, "private_key", "the private key is encrypted",
                    "The API refuses encrypted keys (APIG.2105). Decrypt it into a protected file or a CI secret"
                            + " (openssl pkey -in encrypted.key -out plain.key)."));
            return null;
        }
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(BC);
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
        } catch (IOException | RuntimeException e) {
            // Reported below without the exception's text, which could quote key material.
        }
        problems.add(new CertificateProblem(true, "private_key", "the private key is not a PEM private key",
                "Expected -----BEGIN PRIVATE KEY----- (PKCS#8), BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY."));
        return null;
    }

    private static boolean matches(PrivateKey key, X509CertificateHolder leaf, String algorithmType) {
        String algorithm = switch (algorithmType) {
            case "RSA" -> "SHA256withRSA";
            case "SM2" -> "SM3withSM2";
            default -> "SHA256withECDSA";
        };
        try {
            PublicKey publicKey = new JcaX509CertificateConverter().setProvider(BC).getCertificate(leaf).getPublicKey();
            Signature signer = Signature.getInstance(algorithm, BC);
            signer.initSign(key);
            signer.update(CHALLENGE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm, BC);
            verifier.initVerify(publicKey);
            verifier.update(CHALLENGE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static CertificateInfo info(List<X509CertificateHolder> chain) {
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
        String subject = first(leaf.getSubject());
        if (dns.isEmpty() && subject != null) {
            dns.add(subject);
        }
        try {
            return new CertificateInfo(sha256(leaf.getEncoded()), chainSha256(chain),
                    leaf.getSerialNumber().toString(16), leaf.getNotBefore().toInstant(),
                    leaf.getNotAfter().toInstant(), algorithmType(leaf),
                    subject == null ? leaf.getSubject().toString() : subject, dns,
                    first(leaf.getIssuer()) == null ? leaf.getIssuer().toString() : first(leaf.getIssuer()));
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

    private static String first(X500Name name) {
        RDN[] rdns = name.getRDNs(BCStyle.CN);
        return rdns.length == 0 ? null : IETFUtils.valueToString(rdns[0].getFirst().getValue());
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

    private static long daysBetween(Instant from, Instant to) {
        return Duration.between(from, to).toDays();
    }
}
