package io.certform.cert;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * Keys and signatures for the certificate checks. RSA and the usual EC curves go through the JDK's own providers,
 * which are ready at start-up; the BouncyCastle provider (SM2, and whatever else the JDK lacks) is made once per
 * process and only when needed: making one registers about a thousand algorithms, which takes longer than the rest
 * of a small run.
 */
final class CryptoProvider {

    private CryptoProvider() {
    }

    private static final class Holder {
        private static final Provider BC = new BouncyCastleProvider();
    }

    static Provider bouncyCastle() {
        return Holder.BC;
    }

    /** The key of a certificate. */
    static PublicKey publicKey(SubjectPublicKeyInfo info) throws IOException {
        String algorithm = jdkAlgorithm(info.getAlgorithm().getAlgorithm());
        if (algorithm != null) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(info.getEncoded()));
            } catch (java.security.GeneralSecurityException | RuntimeException e) {
                // a curve the JDK does not know (SM2): BouncyCastle below
            }
        }
        return new JcaPEMKeyConverter().setProvider(bouncyCastle()).getPublicKey(info);
    }

    /** A private key read from PEM. */
    static PrivateKey privateKey(PrivateKeyInfo info) throws IOException {
        String algorithm = jdkAlgorithm(info.getPrivateKeyAlgorithm().getAlgorithm());
        if (algorithm != null) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
            } catch (java.security.GeneralSecurityException | RuntimeException e) {
                // a curve the JDK does not know (SM2): BouncyCastle below
            }
        }
        return new JcaPEMKeyConverter().setProvider(bouncyCastle()).getPrivateKey(info);
    }

    /** Whether {@code parent}'s key made {@code child}'s signature. */
    static boolean verifies(X509CertificateHolder child, X509CertificateHolder parent) {
        try {
            PublicKey key = publicKey(parent.getSubjectPublicKeyInfo());
            try {
                return child.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key));
            } catch (Exception e) {
                // a signature algorithm the JDK lacks (SM3withSM2)
                return child.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(bouncyCastle())
                        .build(key));
            }
        } catch (Exception e) {
            return false;
        }
    }

    /** The certificate's signature algorithm, e.g. {@code SHA256WITHRSA}, {@code SM3WITHSM2}. */
    static String signatureName(X509CertificateHolder certificate) {
        String name = new DefaultAlgorithmNameFinder().getAlgorithmName(certificate.getSignatureAlgorithm());
        return name.toUpperCase(Locale.ROOT);
    }

    /**
     * Whether {@code key} is the private half of {@code publicKey}, without signing: for RSA, the same modulus and
     * exponent and a consistent CRT form (p q = n, e dp = 1 mod p-1, e dq = 1 mod q-1); for EC (SM2 included), the
     * public point is d G on the certificate's curve. Null when the key is of another form.
     */
    static Boolean belongs(PrivateKey key, PublicKey publicKey, SubjectPublicKeyInfo certificateKey) {
        if (key instanceof RSAPrivateCrtKey rsa) {
            if (!(publicKey instanceof RSAPublicKey pub) || rsa.getPrimeP() == null || rsa.getPrimeQ() == null) {
                return publicKey instanceof RSAPublicKey ? null : false;
            }
            BigInteger e = pub.getPublicExponent();
            return rsa.getModulus().equals(pub.getModulus()) && rsa.getPublicExponent().equals(e)
                    && rsa.getPrimeP().multiply(rsa.getPrimeQ()).equals(rsa.getModulus())
                    && e.multiply(rsa.getPrimeExponentP()).mod(rsa.getPrimeP().subtract(BigInteger.ONE))
                    .equals(BigInteger.ONE)
                    && e.multiply(rsa.getPrimeExponentQ()).mod(rsa.getPrimeQ().subtract(BigInteger.ONE))
                    .equals(BigInteger.ONE);
        }
        if (key instanceof ECPrivateKey ec
                && X9ObjectIdentifiers.id_ecPublicKey.equals(certificateKey.getAlgorithm().getAlgorithm())
                && certificateKey.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier curve) {
            X9ECParameters parameters = ECNamedCurveTable.getByOID(curve);
            if (parameters == null) {
                return null;
            }
            byte[] derived = parameters.getG().multiply(ec.getS()).normalize().getEncoded(false);
            byte[] declared = parameters.getCurve().decodePoint(certificateKey.getPublicKeyData().getOctets())
                    .normalize().getEncoded(false);
            return Arrays.equals(derived, declared);
        }
        return null;
    }

    private static String jdkAlgorithm(ASN1ObjectIdentifier oid) {
        if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
            return "RSA";
        }
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
            return "EC";
        }
        return null;
    }
}
