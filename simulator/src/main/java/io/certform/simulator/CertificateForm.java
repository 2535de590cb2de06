package io.certform.simulator;

import java.time.Instant;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * An upload as the service reads it: the seed call's body, or the management model's {@code CertificateForm}
 * (which adds {@code algorithm_type} and, for SM2 dual certificates, {@code cert_content_sign} and
 * {@code private_key_sign}). The PEM texts live only as long as the request.
 */
record CertificateForm(String name, String type, String instanceId, String certContent, String privateKey,
                       String trustedRootCa, String algorithmType, String certContentSign, String privateKeySign) {

    private static final Pattern NAME = Pattern.compile("^[A-Za-z][A-Za-z0-9_]{3,49}$");

    /**
     * Reads and checks the fields of a body; throws APIG.2012 naming the first bad field.
     *
     * @param management true for the management model's form, whose algorithm and signing pair are read too
     */
    static CertificateForm read(JsonNode request, boolean management) {
        String name = GatewayApi.requiredString(request, "name");
        if (!NAME.matcher(name).matches()) {
            throw ApiError.invalidParameter("name");
        }
        String certContent = GatewayApi.requiredString(request, "cert_content");
        String privateKey = GatewayApi.requiredString(request, "private_key");
        String type = GatewayApi.optionalString(request, "type", "global");
        if (!type.equals("global") && !type.equals("instance")) {
            throw ApiError.invalidParameter("type");
        }
        String instanceId = GatewayApi.optionalString(request, "instance_id", null);
        if (type.equals("instance") && (instanceId == null || instanceId.isEmpty())) {
            throw ApiError.invalidParameter("instance_id");
        }
        String rootCa = GatewayApi.optionalString(request, "trusted_root_ca", null);
        String algorithm = null;
        String signContent = null;
        String signKey = null;
        if (management) {
            algorithm = GatewayApi.optionalString(request, "algorithm_type", null);
            if (algorithm != null && !algorithm.equals("RSA") && !algorithm.equals("ECC") && !algorithm.equals("SM2")) {
                throw ApiError.invalidParameter("algorithm_type");
            }
            signContent = emptyToNull(GatewayApi.optionalString(request, "cert_content_sign", null));
            signKey = emptyToNull(GatewayApi.optionalString(request, "private_key_sign", null));
            if ((signContent != null || signKey != null) && !"SM2".equals(algorithm)) {
                throw ApiError.invalidParameter("algorithm_type");
            }
            if (signContent != null && signKey == null) {
                throw ApiError.invalidParameter("private_key_sign");
            }
            if (signKey != null && signContent == null) {
                throw ApiError.invalidParameter("cert_content_sign");
            }
        }
        return new CertificateForm(name, type, type.equals("instance") ? instanceId : null, certContent, privateKey,
                emptyToNull(rootCa), algorithm, signContent, signKey);
    }

    /**
     * The service's checks that do not depend on a domain (key pair, encryption, algorithm, expiry, root CA, and
     * for SM2 the signing pair), and the metadata it then remembers under {@code id}.
     */
    BoundCertificate certify(CertificateInspector inspector, String id, Instant now) {
        CertificateInspector.Inspected inspected = inspector.inspect(certContent, privateKey);
        if (algorithmType != null && !algorithmType.equals(inspected.algorithmType())) {
            throw ApiError.invalidParameter("algorithm_type");
        }
        if (certContentSign != null) {
            CertificateInspector.Inspected sign = inspector.inspect(certContentSign, privateKeySign);
            if (!sign.algorithmType().equals("SM2")) {
                throw ApiError.invalidParameter("cert_content_sign");
            }
            if (sign.notAfter().isBefore(now)) {
                throw new ApiError(400, "APIG.2102", "The signing certificate has expired");
            }
        }
        if (trustedRootCa != null) {
            inspector.checkTrustedRootCa(trustedRootCa);
        }
        if (inspected.notAfter().isBefore(now)) {
            throw new ApiError(400, "APIG.2102", "The certificate has expired");
        }
        return new BoundCertificate(id, name, type, instanceId, inspected.algorithmType(), inspected.commonName(),
                inspected.san(), GatewayApi.format(inspected.notBefore()), GatewayApi.format(inspected.notAfter()),
                inspected.serialNumber(), inspected.issuer(), inspected.signatureAlgorithm(), trustedRootCa != null,
                GatewayApi.format(now));
    }

    /**
     * What the TLS port will present for this upload (memory only); null when the world serves no TLS (so a
     * simulator without a TLS port holds no keys at all) or the JDK cannot serve it. Call after {@link #certify}.
     */
    TlsMaterial material(CertificateInspector inspector, World world) {
        return world.materials().kept() ? inspector.material(certContent, privateKey) : null;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    @Override
    public String toString() {
        return "CertificateForm[name=" + name + ", type=" + type + "]"; // never the PEM texts
    }
}
