package io.certform.state;


/**
 * One binding certform made: a certificate on a domain. Its JSON form, in the state, the journal and saved plans, is
 * {@link ResourceCodec}'s.
 *
 * @param certificate           the manifest key of the certificate
 * @param certificateInstanceId the instance of an {@code instance}-scoped certificate, else null
 * @param certSha256            SHA-256 of the leaf's DER
 * @param chainSha256           SHA-256 over the bundle's DERs (detects intermediate changes)
 * @param trustedRootCaSha256   SHA-256 over the trusted root CA bundle's DERs, or null without one
 * @param notAfter              ISO-8601 instant, e.g. {@code 2031-08-16T06:36:13Z}
 * @param issuer                the leaf's issuer (CN, or DN without a CN)
 * @param publicKeySha256       SHA-256 of the leaf's public key (SubjectPublicKeyInfo DER): a new certificate on the
 *                              same key keeps it; null when recorded by a version that did not record it
 * @param san                   the names the certificate covers (its SAN DNS names), as certform read them or the API
 *                              answered them; null when not known
 * @param boundAt               when certform saw this certificate bound (ISO-8601 instant): a read within the settle
 *                              window after it may not show it yet; null when not known
 * @param deposedKey            null for the live object at {@code address}; for an object a create-before-destroy
 *                              replaced, kept until its destroy is done, the key that tells it from the live object
 *                              and from another deposed object at the same address (its certificate id)
 */
public record ResourceState(
        String address,
        String certificate,
        String instanceId,
        String groupId,
        String domainId,
        String urlDomain,
        String sslId,
        String sslName,
        String type,
        String certificateInstanceId,
        String algorithmType,
        String certSha256,
        String chainSha256,
        String trustedRootCaSha256,
        String serialNumber,
        String notAfter,
        String issuer,
        String publicKeySha256,
        String boundAt,
        java.util.List<String> san,
        String model,
        String verifiedAt,
        Seen seen,
        String deposedKey) {

    /**
     * What the last refresh saw on the domain instead of the certificate certform bound (bound by someone else,
     * by hand or by another tool), recorded beside what certform bound and never over it: certform only ever removes
     * the certificate it bound ({@code ssl_id}), never this one.
     */
        public record Seen(String sslId, String sslName,
                       String serialNumber, String notAfter,
                       String seenAt) {
    }

    /** The {@code model} of the certificate-management resources; a per-domain binding records none. */
    public static final String SHARED = "shared";
    /** The name of the provider of {@code provider:} (the single block), whose addresses carry no prefix. */
    public static final String DEFAULT_PROVIDER = "default";
    /** The prefix of the address of another provider's object: {@code provider.P.KEY[DOMAIN]}. */
    public static final String PROVIDER_PREFIX = "provider.";

    /** The deposed key of an object that had no certificate id when it was deposed. */
    static final String NO_ID = "0";

    public ResourceState {
        san = san == null ? null : java.util.List.copyOf(san);
        if (deposedKey != null && deposedKey.isEmpty()) {
            throw new IllegalArgumentException("an empty deposed key at " + address);
        }
    }

    /** A live object (not deposed). */
    public ResourceState(String address, String certificate, String instanceId, String groupId, String domainId,
                         String urlDomain, String sslId, String sslName, String type, String certificateInstanceId,
                         String algorithmType, String certSha256, String chainSha256, String trustedRootCaSha256,
                         String serialNumber, String notAfter, String issuer, String publicKeySha256, String boundAt,
                         java.util.List<String> san, String model, String verifiedAt, Seen seen) {
        this(address, certificate, instanceId, groupId, domainId, urlDomain, sslId, sslName, type,
                certificateInstanceId, algorithmType, certSha256, chainSha256, trustedRootCaSha256, serialNumber,
                notAfter, issuer, publicKeySha256, boundAt, san, model, verifiedAt, seen, null);
    }

    public ResourceState(String address, String certificate, String instanceId, String groupId, String domainId,
                         String urlDomain, String sslId, String sslName, String type, String certificateInstanceId,
                         String algorithmType, String certSha256, String chainSha256, String trustedRootCaSha256,
                         String serialNumber, String notAfter, String issuer, String publicKeySha256, String boundAt,
                         java.util.List<String> san) {
        this(address, certificate, instanceId, groupId, domainId, urlDomain, sslId, sslName, type,
                certificateInstanceId, algorithmType, certSha256, chainSha256, trustedRootCaSha256, serialNumber,
                notAfter, issuer, publicKeySha256, boundAt, san, null, null, null);
    }

    public ResourceState(String address, String certificate, String instanceId, String groupId, String domainId,
                         String urlDomain, String sslId, String sslName, String type, String certificateInstanceId,
                         String algorithmType, String certSha256, String chainSha256, String trustedRootCaSha256,
                         String serialNumber, String notAfter, String issuer, String publicKeySha256, String boundAt,
                         java.util.List<String> san, String model) {
        this(address, certificate, instanceId, groupId, domainId, urlDomain, sslId, sslName, type,
                certificateInstanceId, algorithmType, certSha256, chainSha256, trustedRootCaSha256, serialNumber,
                notAfter, issuer, publicKeySha256, boundAt, san, model, null, null);
    }

    public ResourceState(String address, String certificate, String instanceId, String groupId, String domainId,
                         String urlDomain, String sslId, String sslName, String type, String certificateInstanceId,
                         String algorithmType, String certSha256, String chainSha256, String trustedRootCaSha256,
                         String serialNumber, String notAfter, String issuer, String publicKeySha256, String boundAt,
                         java.util.List<String> san, String model, String verifiedAt) {
        this(address, certificate, instanceId, groupId, domainId, urlDomain, sslId, sslName, type,
                certificateInstanceId, algorithmType, certSha256, chainSha256, trustedRootCaSha256, serialNumber,
                notAfter, issuer, publicKeySha256, boundAt, san, model, verifiedAt, null);
    }

    /** This binding, with what a refresh saw on its domain instead of it (null: nothing else seen). */
    public ResourceState seeing(Seen other) {
        return new ResourceState(address, certificate, instanceId, groupId, domainId, urlDomain, sslId, sslName, type,
                certificateInstanceId, algorithmType, certSha256, chainSha256, trustedRootCaSha256, serialNumber,
                notAfter, issuer, publicKeySha256, boundAt, san, model, verifiedAt, other, deposedKey);
    }

    /** This binding, its certificate seen served by its domain at {@code when} (a rollout's TLS check). */
    public ResourceState verified(java.time.Instant when) {
        return new ResourceState(address, certificate, instanceId, groupId, domainId, urlDomain, sslId, sslName, type,
                certificateInstanceId, algorithmType, certSha256, chainSha256, trustedRootCaSha256, serialNumber,
                notAfter, issuer, publicKeySha256, boundAt, san, model, when == null ? null : when.toString(), seen,
                deposedKey);
    }

    /** Bound (again) after its last TLS check, or never checked: a rollout's check of it is still owed. */
    public boolean verificationOwed() {
        if (boundAt == null) {
            return false;
        }
        try {
            return verifiedAt == null || java.time.Instant.parse(verifiedAt).isBefore(java.time.Instant.parse(boundAt));
        } catch (java.time.format.DateTimeParseException e) {
            return true;
        }
    }

    /**
     * The name of the provider (gateway) this object is on: {@code P} for an address {@code provider.P.KEY[DOMAIN]}
     * or {@code provider.P.KEY}, {@code "default"} for an address without the prefix. The address is what tells
     * the same binding under two providers apart, so the provider is read from it and can never disagree with it.
     */
    public String provider() {
        return providerOf(address);
    }

    /** The provider an address names ({@link #provider()}): {@code "default"} without the {@code provider.P.} prefix. */
    public static String providerOf(String address) {
        if (address != null && address.startsWith(PROVIDER_PREFIX)) {
            int end = address.indexOf('.', PROVIDER_PREFIX.length());
            int bracket = address.indexOf('[');
            if (end > PROVIDER_PREFIX.length() && (bracket < 0 || end < bracket)) {
                return address.substring(PROVIDER_PREFIX.length(), end);
            }
        }
        return DEFAULT_PROVIDER;
    }

    /** Recorded by the certificate-management model: a shared certificate, or one of its attachments. */
    public boolean shared() {
        return SHARED.equals(model);
    }

    /**
     * A shared certificate resource (address {@code KEY}, deposed or not): no domain, its {@code ssl_id}
     * the certificate's id. Its attachments are the resources {@code KEY[DOMAIN]}.
     */
    public boolean certificateResource() {
        return shared() && domainId == null && groupId == null;
    }

    /** An object replaced by a create-before-destroy, recorded until its destroy is done. */
    public boolean deposed() {
        return deposedKey != null;
    }

    /** The address this object was recorded at before it was deposed: its address, deposed or not. */
    public String liveAddress() {
        return address;
    }

    /** This object, recorded as deposed (keyed by its certificate id): kept until its destroy is done. */
    public ResourceState deposedRecord() {
        return deposed() ? this : asDeposed(sslId == null ? NO_ID : sslId);
    }

    /** This object as the live one at its address (a rollback puts a deposed certificate back). */
    public ResourceState live() {
        return deposed() ? asDeposed(null) : this;
    }

    private ResourceState asDeposed(String key) {
        return new ResourceState(address, certificate, instanceId, groupId, domainId, urlDomain, sslId, sslName, type,
                certificateInstanceId, algorithmType, certSha256, chainSha256, trustedRootCaSha256, serialNumber,
                notAfter, issuer, publicKeySha256, boundAt, san, model, verifiedAt, seen, key);
    }

    /**
     * What tells this object from every other of a state, for maps and messages: its address for the live object,
     * {@code ADDRESS (deposed KEY)} for a deposed one. Never written to a file, never read back.
     */
    public String key() {
        return key(address, deposedKey);
    }

    /** The {@link #key()} of the object at {@code address} with {@code deposedKey} (null: the live one). */
    public static String key(String address, String deposedKey) {
        return deposedKey == null ? address : address + " (deposed " + deposedKey + ")";
    }

    /** This record with the model {@code newModel} (null: per-domain). */
    public ResourceState modelled(String newModel) {
        return new ResourceState(address, certificate, instanceId, groupId, domainId, urlDomain, sslId, sslName, type,
                certificateInstanceId, algorithmType, certSha256, chainSha256, trustedRootCaSha256, serialNumber,
                notAfter, issuer, publicKeySha256, boundAt, san, newModel, verifiedAt, seen, deposedKey);
    }

    public ResourceState(String address, String certificate, String instanceId, String groupId, String domainId,
                         String urlDomain, String sslId, String sslName, String type, String certificateInstanceId,
                         String algorithmType, String certSha256, String chainSha256, String trustedRootCaSha256,
                         String serialNumber, String notAfter, String issuer, String publicKeySha256, String boundAt) {
        this(address, certificate, instanceId, groupId, domainId, urlDomain, sslId, sslName, type,
                certificateInstanceId, algorithmType, certSha256, chainSha256, trustedRootCaSha256, serialNumber,
                notAfter, issuer, publicKeySha256, boundAt, null);
    }

    public ResourceState(String address, String certificate, String instanceId, String groupId, String domainId,
                         String urlDomain, String sslId, String sslName, String type, String certificateInstanceId,
                         String algorithmType, String certSha256, String chainSha256, String trustedRootCaSha256,
                         String serialNumber, String notAfter, String issuer, String publicKeySha256) {
        this(address, certificate, instanceId, groupId, domainId, urlDomain, sslId, sslName, type,
                certificateInstanceId, algorithmType, certSha256, chainSha256, trustedRootCaSha256, serialNumber,
                notAfter, issuer, publicKeySha256, null, null);
    }

    /** A binding recorded without its public key's fingerprint. */
    public ResourceState(String address, String certificate, String instanceId, String groupId, String domainId,
                         String urlDomain, String sslId, String sslName, String type, String certificateInstanceId,
                         String algorithmType, String certSha256, String chainSha256, String trustedRootCaSha256,
                         String serialNumber, String notAfter, String issuer) {
        this(address, certificate, instanceId, groupId, domainId, urlDomain, sslId, sslName, type,
                certificateInstanceId, algorithmType, certSha256, chainSha256, trustedRootCaSha256, serialNumber,
                notAfter, issuer, null);
    }

    /**
     * This binding with the certificate the API bound: its ssl_id, and the name and domain it answered (if any). What
     * a refresh saw instead of it before is forgotten: the domain carries certform's certificate again.
     */
    public ResourceState bound(String newSslId, String answeredSslName, String answeredUrlDomain) {
        return new ResourceState(address, certificate, instanceId, groupId, domainId,
                answeredUrlDomain != null && !answeredUrlDomain.isEmpty() ? answeredUrlDomain : urlDomain, newSslId,
                answeredSslName != null && !answeredSslName.isEmpty() ? answeredSslName : sslName, type,
                certificateInstanceId, algorithmType, certSha256, chainSha256, trustedRootCaSha256, serialNumber, notAfter,
                issuer, publicKeySha256, boundAt, san, model, verifiedAt, null, deposedKey);
    }

    /** This binding recorded under another address (a certificate key renamed). */
    public ResourceState at(String newAddress, String newCertificateKey) {
        return new ResourceState(newAddress, newCertificateKey, instanceId, groupId, domainId, urlDomain, sslId,
                sslName, type, certificateInstanceId, algorithmType, certSha256, chainSha256, trustedRootCaSha256,
                serialNumber, notAfter, issuer, publicKeySha256, boundAt, san, model, verifiedAt, seen, deposedKey);
    }

    /** This binding with another trusted root CA fingerprint (null: none, or not known). */
    public ResourceState trusting(String rootCaSha256) {
        return new ResourceState(address, certificate, instanceId, groupId, domainId, urlDomain, sslId, sslName, type,
                certificateInstanceId, algorithmType, certSha256, chainSha256, rootCaSha256, serialNumber, notAfter,
                issuer, publicKeySha256, boundAt, san, model, verifiedAt, seen, deposedKey);
    }

    /** This binding, with the names its certificate covers. */
    public ResourceState covering(java.util.List<String> names) {
        return new ResourceState(address, certificate, instanceId, groupId, domainId, urlDomain, sslId, sslName, type,
                certificateInstanceId, algorithmType, certSha256, chainSha256, trustedRootCaSha256, serialNumber,
                notAfter, issuer, publicKeySha256, boundAt, names, model, verifiedAt, seen, deposedKey);
    }

    /** This binding, seen bound at {@code when}. */
    public ResourceState boundAt(java.time.Instant when) {
        return new ResourceState(address, certificate, instanceId, groupId, domainId, urlDomain, sslId, sslName, type,
                certificateInstanceId, algorithmType, certSha256, chainSha256, trustedRootCaSha256, serialNumber,
                notAfter, issuer, publicKeySha256, when == null ? null : when.toString(), san, model, verifiedAt, seen,
                deposedKey);
    }

    /** Whether this binding was seen bound less than {@code window} before {@code now}. */
    public boolean boundWithin(java.time.Duration window, java.time.Instant now) {
        if (boundAt == null) {
            return false;
        }
        try {
            return now.isBefore(java.time.Instant.parse(boundAt).plus(window));
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }
}
