package io.certform.keystore;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEParameterSpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The one encoding of the key store: a PKCS#12 whose private keys are each encrypted with PBES2 (PBKDF2 with
 * HMAC-SHA-256, AES-256-CBC) under the key store's password, {@value #ITERATIONS} iterations and a fresh salt and IV
 * per key on every write, and whose integrity is checked by the JDK's PKCS#12 MAC under the same password.
 */
final class Pkcs12 {

    /**
     * PBKDF2 iterations of each key's encryption: the JDK's PKCS#12 MAC, under the same password, uses 10,000 too
     * (its default), and a guess is checked against the cheaper of the two, so more here would slow every run
     * without slowing an attacker. What protects the file is the password: a long random one (a CI secret).
     */
    static final int ITERATIONS = 10_000;
    static final String KEY_ALGORITHM = "PBEWithHmacSHA256AndAES_256";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Pkcs12() {
    }

    /** The entries of {@code bytes}, by alias; a wrong password is a {@link KeystoreException.WrongPassword}. */
    static Map<String, KeyStore.PrivateKeyEntry> decode(byte[] bytes, char[] password, String where)
            throws KeystoreException {
        Map<String, KeyStore.PrivateKeyEntry> out = new LinkedHashMap<>();
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(new ByteArrayInputStream(bytes), password);
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.getEntry(alias, new KeyStore.PasswordProtection(password))
                        instanceof KeyStore.PrivateKeyEntry entry) {
                    out.put(alias, entry);
                }
            }
            return out;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage())
                    .contains("password")) {
                throw new KeystoreException.WrongPassword("the key store " + where + " does not open with the"
                        + " password keystore.password gives (or it was changed by something else than certform):"
                        + " check the variable it names; nothing was read or written");
            }
            throw new KeystoreException("the key store " + where + " is not a readable PKCS#12 file ("
                    + e.getClass().getSimpleName() + "); restore it from a backup, nothing was written");
        } catch (UnrecoverableKeyException e) {
            throw new KeystoreException.WrongPassword("a key in the key store " + where + " does not open with the"
                    + " password keystore.password gives; nothing was read or written");
        } catch (GeneralSecurityException e) {
            throw new KeystoreException("the key store " + where + " cannot be read: "
                    + e.getClass().getSimpleName() + "; nothing was written");
        }
    }

    /** The PKCS#12 of {@code entries}, every key encrypted afresh. */
    static byte[] encode(Map<String, KeyStore.PrivateKeyEntry> entries, char[] password) throws KeystoreException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (Map.Entry<String, KeyStore.PrivateKeyEntry> e : entries.entrySet()) {
                byte[] salt = new byte[16];
                byte[] iv = new byte[16];
                RANDOM.nextBytes(salt);
                RANDOM.nextBytes(iv);
                ks.setEntry(e.getKey(), e.getValue(), new KeyStore.PasswordProtection(password, KEY_ALGORITHM,
                        new PBEParameterSpec(salt, ITERATIONS, new IvParameterSpec(iv))));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ks.store(out, password);
            return out.toByteArray();
        } catch (IOException | GeneralSecurityException e) {
            throw new KeystoreException("cannot encode the key store: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * A self-signed placeholder certificate for a key that has none (an ACME account key), since a PKCS#12 key entry
     * carries a certificate; it is never sent anywhere.
     */
    static X509Certificate placeholder(KeyPair pair, String subject) throws KeystoreException {
        try {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            X500Name name = new X500Name("CN=" + subject);
            var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(36_500, ChronoUnit.DAYS)), name,
                    pair.getPublic());
            String algorithm = pair.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder(algorithm).build(pair.getPrivate())));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new KeystoreException("cannot keep the account key: " + e.getClass().getSimpleName(), e);
        }
    }

    static X509Certificate[] chain(Certificate[] certificates) {
        X509Certificate[] out = new X509Certificate[certificates.length];
        for (int i = 0; i < certificates.length; i++) {
            out[i] = (X509Certificate) certificates[i];
        }
        return out;
    }
}
