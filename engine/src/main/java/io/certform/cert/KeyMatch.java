package io.certform.cert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import org.bouncycastle.cert.X509CertificateHolder;

/** Whether a private key belongs to a certificate: by the keys' numbers where they can be compared, else by signing. */
final class KeyMatch {

    private static final byte[] CHALLENGE = "certform key match".getBytes(StandardCharsets.UTF_8);

    private KeyMatch() {
    }

    static PublicKey publicKey(X509CertificateHolder leaf) {
        try {
            return CryptoProvider.publicKey(leaf.getSubjectPublicKeyInfo());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("a parsed certificate has no usable public key", e);
        }
    }

    /** Whether the key is the certificate's: by its numbers where it can, else by signing a challenge. */
    static boolean matches(PrivateKey key, PublicKey publicKey, X509CertificateHolder leaf,
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
}
