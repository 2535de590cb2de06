package io.certform.cert;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads the certificates of a PEM bundle ({@code cert_content}, {@code trusted_root_ca}, trust anchors) as tools
 * write it ({@link PemText}), reporting an empty bundle, a block that is not a certificate, and text that is not PEM.
 */
final class PemCertificates {

    private PemCertificates() {
    }

    /** The bundle's certificates in order; empty, with the problem reported, when it cannot be read. */
    static List<X509CertificateHolder> read(String pem, String field, List<CertificateProblem> problems) {
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

    private static String kind(Object object) {
        if (object instanceof PEMKeyPair || object instanceof PrivateKeyInfo
                || object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair) {
            return "a private key";
        }
        return object.getClass().getSimpleName();
    }
}
