package io.certform.simulator;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
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
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The service's own checks on an uploaded certificate and key: both parse as PEM, the key is not encrypted,
 * and the key belongs to the leaf certificate. Results depend only on the bytes, so they are cached by content
 * hash: a rollout that puts one wildcard certificate on thousands of domains parses it once.
 */
final class CertificateInspector {

    /** What the service learns from a valid upload; the metadata it later reports for the binding. */
    record Inspected(String algorithmType, String commonName, List<String> san, List<String> dnsNames,
                     Instant notBefore, Instant notAfter, String serialNumber, List<String> issuer,
                     String signatureAlgorithm) {
    }

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final ASN1ObjectIdentifier SM2_CURVE = new ASN1ObjectIdentifier("1.2.156.10197.1.301");
    private static final ASN1ObjectIdentifier EC_PUBLIC_KEY = new ASN1ObjectIdentifier("1.2.840.10045.2.1");
    private static final int CACHE_LIMIT = 4096;

    private final Map<String, Object> cache = new ConcurrentHashMap<>();

    /** Parses and checks; throws the documented {@link ApiError} for the first problem found. */
    Inspected inspect(String certContent, String privateKey) {
        String cacheKey = sha256(certContent) + ":" + sha256(privateKey);
        Object cached = cache.get(cacheKey);
        if (cached == null) {
            try {
                cached = inspectUncached(certContent, privateKey);
            } catch (ApiError e) {
                cached = e;
            }
            remember(cacheKey, cached);
        }
        if (cached instanceof ApiError error) {
            throw new ApiError(error.status, error.code, error.getMessage());
        }
        return (Inspected) cached;
    }

    /** Checks that a trusted root CA bundle parses as one or more certificates (cached by content hash too). */
    void checkTrustedRootCa(String pem) {
        String cacheKey = "ca:" + sha256(pem);
        Object cached = cache.get(cacheKey);
        if (cached == null) {
            try {
                cached = readCertificates(pem).isEmpty() ? invalid() : Boolean.TRUE;
            } catch (ApiError e) {
                cached = e;
            }
            remember(cacheKey, cached);
        }
        if (cached instanceof ApiError error) {
            throw new ApiError(error.status, error.code, error.getMessage());
        }
    }

    private void remember(String cacheKey, Object value) {
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(cacheKey, value);
    }

    private Inspected inspectUncached(String certContent, String privateKeyPem) {
        List<X509CertificateHolder> chain = readCertificates(certContent);
        if (chain.isEmpty()) {
            throw invalid();
        }
        PrivateKey key = readPrivateKey(privateKeyPem);
        X509CertificateHolder leaf = chain.get(0);
        String algorithm = algorithmType(leaf);
        X509Certificate leafJca;
        try {
            leafJca = new JcaX509CertificateConverter().setProvider(BC).getCertificate(leaf);
        } catch (GeneralSecurityException e) {
            throw invalid();
        }
        if (!keyMatches(key, leafJca.getPublicKey(), algorithm)) {
            throw new ApiError(400, "APIG.2101", "The certificate does not match the private key");
        }
        List<String> dnsNames = dnsNames(leaf);
        String commonName = firstValue(leaf.getSubject(), BCStyle.CN);
        return new Inspected(algorithm, commonName == null ? "" : commonName, dnsNames, dnsNames,
                leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(),
                leaf.getSerialNumber().toString(16), values(leaf.getIssuer(), BCStyle.CN),
                signatureAlgorithmName(leafJca.getSigAlgName()));
    }

    /**
     * What the TLS port presents for an upload that {@link #inspect} accepted: its chain and key as JDK objects
     * (memory only), or null when the JDK cannot serve them (SM2). Cached by content hash, so a certificate put
     * on many domains is converted once.
     */
    TlsMaterial material(String certContent, String privateKey) {
        String cacheKey = "tls:" + sha256(certContent) + ":" + sha256(privateKey);
        Object cached = cache.get(cacheKey);
        if (cached == null) {
            TlsMaterial material;
            try {
                material = TlsMaterial.of(readCertificates(certContent), readPrivateKey(privateKey));
            } catch (ApiError e) {
                material = null;
            }
            cached = material == null ? Boolean.FALSE : material;
            remember(cacheKey, cached);
        }
        return cached instanceof TlsMaterial material ? material : null;
    }

    /** True when the certificate names the domain, by SAN (or CN without SANs), with single-label wildcards. */
    static boolean covers(Inspected certificate, String domain) {
        return covers(certificate.dnsNames(), certificate.commonName(), domain);
    }

    /** True when a certificate with these DNS names (or, without any, this common name) names the domain. */
    static boolean covers(List<String> dnsNames, String commonName, String domain) {
        List<String> names = dnsNames.isEmpty() ? List.of(commonName) : dnsNames;
        String host = domain.toLowerCase(Locale.ROOT);
        for (String name : names) {
            String pattern = name.toLowerCase(Locale.ROOT);
            if (pattern.equals(host)) {
                return true;
            }
            if (pattern.startsWith("*.")) {
                int dot = host.indexOf('.');
                if (dot > 0 && host.substring(dot + 1).equals(pattern.substring(2))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<X509CertificateHolder> readCertificates(String pem) {
        List<X509CertificateHolder> certificates = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (!(object instanceof X509CertificateHolder holder)) {
                    throw invalid();
                }
                certificates.add(holder);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiError error) {
                throw error;
            }
            throw invalid();
        }
        return certificates;
    }

    private static PrivateKey readPrivateKey(String pem) {
        Object object;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            object = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw invalid();
        }
        if (object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair) {
            throw new ApiError(400, "APIG.2105", "Encrypted private keys are not supported");
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
            throw invalid();
        }
        throw invalid();
    }

    private static boolean keyMatches(PrivateKey key, PublicKey publicKey, String algorithmType) {
        String signatureAlgorithm = switch (algorithmType) {
            case "RSA" -> "SHA256withRSA";
            case "SM2" -> "SM3withSM2";
            default -> "SHA256withECDSA";
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(signatureAlgorithm, BC);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(signatureAlgorithm, BC);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static String algorithmType(X509CertificateHolder certificate) {
        var algorithm = certificate.getSubjectPublicKeyInfo().getAlgorithm();
        if (algorithm.getAlgorithm().equals(EC_PUBLIC_KEY)) {
            return SM2_CURVE.equals(algorithm.getParameters()) ? "SM2" : "ECC";
        }
        return "RSA";
    }

    private static String signatureAlgorithmName(String jcaName) {
        // "SHA256WITHRSA" -> "SHA256-RSA", as the service reports it.
        String upper = jcaName.toUpperCase(Locale.ROOT);
        int with = upper.indexOf("WITH");
        return with < 0 ? upper : upper.substring(0, with) + "-" + upper.substring(with + 4);
    }

    private static List<String> dnsNames(X509CertificateHolder certificate) {
        List<String> names = new ArrayList<>();
        GeneralNames san = GeneralNames.fromExtensions(certificate.getExtensions(), Extension.subjectAlternativeName);
        if (san != null) {
            for (GeneralName name : san.getNames()) {
                if (name.getTagNo() == GeneralName.dNSName) {
                    names.add(name.getName().toString());
                }
            }
        }
        return names;
    }

    private static String firstValue(X500Name name, ASN1ObjectIdentifier attribute) {
        List<String> all = values(name, attribute);
        return all.isEmpty() ? null : all.get(0);
    }

    private static List<String> values(X500Name name, ASN1ObjectIdentifier attribute) {
        List<String> out = new ArrayList<>();
        for (RDN rdn : name.getRDNs(attribute)) {
            out.add(IETFUtils.valueToString(rdn.getFirst().getValue()));
        }
        return out;
    }

    private static ApiError invalid() {
        return new ApiError(400, "APIG.2106", "The certificate or private key is invalid");
    }

    private static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
