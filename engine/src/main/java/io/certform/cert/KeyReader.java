package io.certform.cert;

import io.certform.base.Secret;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.PrivateKey;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads a PEM private key in any of the forms users have: PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1
 * ({@code BEGIN RSA PRIVATE KEY}), SEC1 ({@code BEGIN EC PRIVATE KEY}), encrypted PKCS#8
 * ({@code BEGIN ENCRYPTED PRIVATE KEY}) and legacy encrypted PEM ({@code Proc-Type: 4,ENCRYPTED}). The API refuses
 * encrypted keys, so an encrypted key is decrypted here with the user's passphrase and sent as PKCS#8. The text
 * around the key block (a byte-order mark, an {@code EC PARAMETERS} block, a certificate) is not sent.
 */
final class KeyReader {

    /** A readable key, and the form of it to send: the user's own text, or the decrypted PKCS#8. */
    record ReadKey(PrivateKey key, Secret sendable) {
    }

    private KeyReader() {
    }

    /** Reads the key; null after adding a problem when it cannot be read. */
    static ReadKey read(Secret pem, Secret passphrase, List<CertificateProblem> problems) {
        // The first key block: an EC PARAMETERS block before it (openssl ecparam -genkey) and a certificate
        // beside it are skipped, and only the key block is sent.
        PemText.Block block = PemText.blocks(pem.reveal()).stream().filter(PemText.Block::privateKey).findFirst()
                .orElse(null);
        Object object = null;
        if (block != null) {
            try (PEMParser parser = new PEMParser(new StringReader(block.text()))) {
                object = parser.readObject();
            } catch (IOException | RuntimeException e) {
                object = null;
            }
        }
        Secret keyBlock = block == null ? pem : new Secret(block.text(), pem.origin(), pem.range());
        boolean encrypted = object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair;
        if (encrypted && passphrase == null) {
            problems.add(new CertificateProblem(true, "private_key", "the private key is encrypted",
                    "The API refuses encrypted keys (APIG.2105); certform decrypts it locally when you give the"
                            + " passphrase: private_key_passphrase: ${env:NAME}."));
            return null;
        }
        try {
            if (object instanceof PKCS8EncryptedPrivateKeyInfo info) {
                PrivateKeyInfo plain = info.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                        .setProvider(CryptoProvider.bouncyCastle()).build(passphrase.reveal().toCharArray()));
                return decrypted(CryptoProvider.privateKey(plain), keyBlock);
            }
            if (object instanceof PEMEncryptedKeyPair pair) {
                PEMKeyPair plain = pair.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(CryptoProvider.bouncyCastle())
                        .build(passphrase.reveal().toCharArray()));
                return decrypted(CryptoProvider.privateKey(plain.getPrivateKeyInfo()), keyBlock);
            }
        } catch (Exception e) {
            // A wrong passphrase shows as a decryption or encoding failure; its text is not shown.
            problems.add(new CertificateProblem(true, "private_key_passphrase",
                    "the passphrase does not decrypt the private key",
                    "Check private_key_passphrase: it must be the passphrase the key was encrypted with."));
            return null;
        }
        try {
            if (object instanceof PEMKeyPair pair) {
                return new ReadKey(CryptoProvider.privateKey(pair.getPrivateKeyInfo()), keyBlock);
            }
            if (object instanceof PrivateKeyInfo info) {
                return new ReadKey(CryptoProvider.privateKey(info), keyBlock);
            }
        } catch (IOException | RuntimeException e) {
            // reported below, without the parser's text
        }
        String summary = pem.reveal().isBlank() ? "the private key is empty"
                : "the private key is not a PEM private key";
        problems.add(new CertificateProblem(true, "private_key", summary,
                "Expected -----BEGIN PRIVATE KEY----- (PKCS#8), BEGIN RSA PRIVATE KEY, BEGIN EC PRIVATE KEY or"
                        + " BEGIN ENCRYPTED PRIVATE KEY."));
        return null;
    }

    private static ReadKey decrypted(PrivateKey key, Secret original) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new JcaPKCS8Generator(key, null));
        }
        return new ReadKey(key, new Secret(text.toString(), original.origin() + " (decrypted)", original.range()));
    }
}
