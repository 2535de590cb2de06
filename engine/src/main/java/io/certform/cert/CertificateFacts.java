package io.certform.cert;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * What a read bundle says of its leaf, as {@link CertificateInfo}: names, serial, validity, key and signature
 * algorithm, fingerprints of the leaf, its public key and the whole chain.
 */
final class CertificateFacts {

    private static final ASN1ObjectIdentifier EC_PUBLIC_KEY = new ASN1ObjectIdentifier("1.2.840.10045.2.1");
    private static final ASN1ObjectIdentifier SM2_CURVE = new ASN1ObjectIdentifier("1.2.156.10197.1.301");
    private static final ASN1ObjectIdentifier P256 = new ASN1ObjectIdentifier("1.2.840.10045.3.1.7");
    private static final ASN1ObjectIdentifier P384 = new ASN1ObjectIdentifier("1.3.132.0.34");
    private static final ASN1ObjectIdentifier P521 = new ASN1ObjectIdentifier("1.3.132.0.35");

    private CertificateFacts() {
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

    static CertificateInfo info(List<X509CertificateHolder> chain, PublicKey publicKey) {
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

    static String signatureAlgorithm(X509CertificateHolder certificate) {
        return CryptoProvider.signatureName(certificate);
    }

    static String chainSha256(List<X509CertificateHolder> chain) {
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
}
