package io.certform.testkit;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.openssl.PKCS8Generator;

/**
 * Certificates and keys made at test time, so that no private key is committed. Every method is deterministic
 * in shape (names, validity) and random in key material.
 */
public final class TestCertificates {

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong SERIALS = new AtomicLong(0x1000);

    private TestCertificates() {
    }

    // --- keys ----------------------------------------------------------------------------------------------

    public static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", BC);
            generator.initialize(bits, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An EC key on a named curve: {@code secp256r1} (P-256), {@code secp384r1} (P-384), {@code sm2p256v1}. */
    public static KeyPair ec(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BC);
            generator.initialize(new ECGenParameterSpec(curve), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- certificates --------------------------------------------------------------------------------------

    /** A certificate with its key, as PEM. */
    public record Issued(X509Certificate certificate, KeyPair keys, Authority issuer) {
        public String certificatePem() {
            return pem(certificate);
        }

        /** Leaf first, then the issuer (omitted for a self-signed certificate). */
        public String chainPem() {
            return issuer == null ? certificatePem() : certificatePem() + issuer.certificatePem();
        }

        /** The private key as unencrypted PKCS#8 PEM. */
        public String privateKeyPem() {
            return pem(keys.getPrivate());
        }

        public String serialHex() {
            return certificate.getSerialNumber().toString(16);
        }
    }

    /** A certificate authority that issues test certificates. */
    public record Authority(X509Certificate certificate, KeyPair keys) {
        public String certificatePem() {
            return pem(certificate);
        }

        /** A leaf for {@code dnsNames} (the first is also the CN), RSA 2048, valid from a day ago for a year. */
        public Issued issue(String... dnsNames) {
            Instant now = Instant.now();
            return issue(rsa(2048), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), dnsNames);
        }

        public Issued issue(KeyPair subjectKeys, Instant notBefore, Instant notAfter, String... dnsNames) {
            return issueSigned(null, subjectKeys, notBefore, notAfter, dnsNames);
        }

        /** A leaf signed with {@code signatureAlgorithm} (e.g. {@code SHA1withRSA}); null picks the usual one. */
        public Issued issueSigned(String signatureAlgorithm, KeyPair subjectKeys, Instant notBefore, Instant notAfter,
                                  String... dnsNames) {
            X509Certificate leaf = build(new X500Name("CN=" + dnsNames[0]), subjectKeys, subjectName(), keys.getPrivate(),
                    notBefore, notAfter, List.of(dnsNames), false, signatureAlgorithm);
            return new Issued(leaf, subjectKeys, this);
        }

        /** A leaf on the SM2 curve for {@code dnsNames}, valid from a day ago for a year. */
        public Issued issueSm2(String... dnsNames) {
            Instant now = Instant.now();
            return issue(ec("sm2p256v1"), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), dnsNames);
        }

        /** An intermediate CA signed by this one. */
        public Authority intermediate(String commonName) {
            KeyPair subjectKeys = rsa(2048);
            Instant now = Instant.now();
            X509Certificate ca = build(new X500Name("CN=" + commonName), subjectKeys, subjectName(), keys.getPrivate(),
                    now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1825)), List.of(), true, null);
            return new Authority(ca, subjectKeys);
        }

        private X500Name subjectName() {
            return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        }
    }

    /** A self-signed root CA on the SM2 curve (its certificates are signed SM3withSM2), valid for ten years. */
    public static Authority sm2Authority(String commonName) {
        KeyPair keys = ec("sm2p256v1");
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=" + commonName);
        X509Certificate certificate = build(name, keys, name, keys.getPrivate(), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(3650)), List.of(), true, null);
        return new Authority(certificate, keys);
    }

    /** A self-signed root CA, RSA 2048, valid for ten years. */
    public static Authority authority(String commonName) {
        KeyPair keys = rsa(2048);
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=" + commonName);
        X509Certificate certificate = build(name, keys, name, keys.getPrivate(), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(3650)), List.of(), true, null);
        return new Authority(certificate, keys);
    }

    /** A self-signed leaf certificate. */
    public static Issued selfSigned(KeyPair keys, Instant notBefore, Instant notAfter, String... dnsNames) {
        X500Name name = new X500Name("CN=" + dnsNames[0]);
        return new Issued(build(name, keys, name, keys.getPrivate(), notBefore, notAfter, List.of(dnsNames), false,
                null), keys, null);
    }

    private static X509Certificate build(X500Name subject, KeyPair subjectKeys, X500Name issuer, PrivateKey signer,
                                         Instant notBefore, Instant notAfter, List<String> dnsNames, boolean ca,
                                         String signatureAlgorithm) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIALS.incrementAndGet()).shiftLeft(32).add(BigInteger.valueOf(RANDOM.nextInt(1 << 30))),
                    Date.from(notBefore), Date.from(notAfter), subject, subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            }
            if (!dnsNames.isEmpty()) {
                GeneralName[] names = dnsNames.stream().map(n -> new GeneralName(GeneralName.dNSName, n))
                        .toArray(GeneralName[]::new);
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            String algorithm = signatureAlgorithm != null ? signatureAlgorithm : switch (signer.getAlgorithm()) {
                case "RSA" -> "SHA256withRSA";
                default -> isSm2(signer) ? "SM3withSM2" : "SHA256withECDSA";
            };
            return new JcaX509CertificateConverter().setProvider(BC)
                    .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).setProvider(BC).build(signer)));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isSm2(PrivateKey key) {
        return key instanceof org.bouncycastle.jce.interfaces.ECPrivateKey ec
                && ec.getParameters() != null && ec.getParameters().getCurve().getFieldSize() == 256
                && ec.getParameters().getG().equals(org.bouncycastle.asn1.gm.GMNamedCurves.getByName("sm2p256v1").getG());
    }

    // --- PEM -----------------------------------------------------------------------------------------------

    /** Any certificate or key as PEM (a private key as PKCS#8 via BouncyCastle's writer). */
    public static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            if (object instanceof PrivateKey key) {
                writer.writeObject(new JcaPKCS8Generator(key, null));
            } else {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }

    /** The key in the "traditional" OpenSSL form: PKCS#1 for RSA, SEC1 for EC. */
    public static String traditionalPem(PrivateKey key) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(key);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }

    /** The key in the legacy OpenSSL encrypted form ({@code Proc-Type: 4,ENCRYPTED}, PKCS#1 / SEC1 inside). */
    public static String legacyEncryptedPem(PrivateKey key, char[] passphrase) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(key, new org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder("AES-128-CBC")
                    .setProvider(BC).setSecureRandom(RANDOM).build(passphrase));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }

    /** The key as encrypted PKCS#8 ({@code BEGIN ENCRYPTED PRIVATE KEY}). */
    public static String encryptedPem(PrivateKey key, char[] passphrase) {
        try {
            OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setProvider(BC).setRandom(RANDOM).setPassword(passphrase).build();
            StringWriter text = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
                writer.writeObject(new JcaPKCS8Generator(key, encryptor));
            }
            return text.toString();
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- PEM as tools write it -----------------------------------------------------------------------------

    /**
     * An EC key as {@code openssl ecparam -name CURVE -genkey} writes it: an {@code EC PARAMETERS} block naming
     * the curve, then the SEC1 {@code EC PRIVATE KEY}.
     */
    public static String ecparamGenkeyPem(KeyPair ecKeys) {
        Object curve = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(ecKeys.getPublic().getEncoded())
                .getAlgorithm().getParameters();
        StringWriter text = new StringWriter();
        try (org.bouncycastle.util.io.pem.PemWriter writer = new org.bouncycastle.util.io.pem.PemWriter(text)) {
            writer.writeObject(new org.bouncycastle.util.io.pem.PemObject("EC PARAMETERS",
                    ((org.bouncycastle.asn1.ASN1Object) curve).getEncoded()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return text + traditionalPem(ecKeys.getPrivate());
    }

    /**
     * A certificate as {@code openssl x509 -text} prints it: a description of it, then its PEM block, then a
     * line of text after it (as a copy from a terminal brings along).
     */
    public static String opensslTextPem(X509Certificate certificate) {
        return "Certificate:\n"
                + "    Data:\n"
                + "        Version: 3 (0x2)\n"
                + "        Serial Number: " + certificate.getSerialNumber().toString(16) + "\n"
                + "        Signature Algorithm: " + certificate.getSigAlgName() + "\n"
                + "        Issuer: " + certificate.getIssuerX500Principal().getName() + "\n"
                + "        Subject: " + certificate.getSubjectX500Principal().getName() + "\n"
                + pem(certificate)
                + "subject=" + certificate.getSubjectX500Principal().getName() + "\n";
    }

    /** {@code text} with a UTF-8 byte-order mark in front, as some Windows editors save files. */
    public static String withByteOrderMark(String text) {
        return "\uFEFF" + text;
    }

    /** {@code text} with CRLF line endings. */
    public static String crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n");
    }
}
