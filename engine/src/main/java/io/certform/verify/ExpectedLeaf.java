package io.certform.verify;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The leaf a domain should serve: the SHA-256 of its DER and its serial number (lowercase hex, as certform
 * records them; compared as numbers, so leading zeros and case do not matter).
 */
public record ExpectedLeaf(String sha256, String serialNumber) {

    public ExpectedLeaf {
        if (sha256 == null || !sha256.matches("(?i)[0-9a-f]{64}")) {
            throw new IllegalArgumentException("the expected leaf's SHA-256 must be 64 hex digits, not " + sha256);
        }
        if (serialNumber == null || serial(serialNumber) == null) {
            throw new IllegalArgumentException("the expected leaf's serial must be hex, not " + serialNumber);
        }
        sha256 = sha256.toLowerCase(Locale.ROOT);
    }

    public static ExpectedLeaf of(X509Certificate leaf) {
        return new ExpectedLeaf(sha256(leaf), leaf.getSerialNumber().toString(16));
    }

    /** True when {@code served} is this leaf: same fingerprint and same serial. */
    boolean matches(X509Certificate served) {
        return sha256.equals(sha256(served)) && serial(serialNumber).equals(served.getSerialNumber());
    }

    static String sha256(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint a certificate: " + e.getMessage(), e);
        }
    }

    private static BigInteger serial(String hex) {
        String digits = hex.strip().toLowerCase(Locale.ROOT).replace(":", "");
        if (digits.startsWith("0x")) {
            digits = digits.substring(2);
        }
        try {
            return digits.isEmpty() ? null : new BigInteger(digits, 16);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
