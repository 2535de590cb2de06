package io.certform.state;

import static io.certform.state.JsonValues.describe;
import static io.certform.state.JsonValues.expect;
import static io.certform.state.JsonValues.text;
import static io.certform.state.JsonValues.texts;

import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;

/**
 * The JSON form of one {@link ResourceState}, as the state, the journal's records and saved plans hold it: every
 * property in one order, {@code provider} (in the state document, format 3) and {@code deposed} (for a deposed
 * object) beside the plain address. Reading takes the deposed
 * mark format 1 wrote into the address ({@link FormatOneAddress}) as the same structure.
 */
public final class ResourceCodec {

    private ResourceCodec() {
    }

    /**
     * One copy of each repeated value while a state is read: the resources of a rollout repeat their certificate's
     * key, fingerprints, issuer, expiry, names and group, and 100,000 resources hold about a tenth of the strings
     * they would otherwise (the difference between a plan of 100,000 bindings fitting a 256 MiB heap or collecting
     * most of the time).
     */
    static final class Shared {
        private final java.util.HashMap<Object, Object> seen = new java.util.HashMap<>();

        String text(String value) {
            if (value == null) {
                return null;
            }
            Object first = seen.putIfAbsent(value, value);
            return first == null ? value : (String) first;
        }

        @SuppressWarnings("unchecked")
        List<String> texts(List<String> value) {
            if (value == null) {
                return null;
            }
            List<String> copy = List.copyOf(value);
            Object first = seen.putIfAbsent(copy, copy);
            return first == null ? copy : (List<String>) first;
        }
    }

    /**
     * Reads one resource, the parser on its {@code START_OBJECT} (or on a {@code null}, read as null); leaves it on
     * the matching {@code END_OBJECT}.
     */
    public static ResourceState readResource(JsonParser p) throws JacksonException {
        return readResource(p, null);
    }

    /** As {@link #readResource(JsonParser)}, the repeated values taken from {@code shared} (when not null). */
    static ResourceState readResource(JsonParser p, Shared shared) throws JacksonException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, JsonToken.START_OBJECT, "a resource object");
        String address = null;
        String certificate = null;
        String instanceId = null;
        String groupId = null;
        String domainId = null;
        String urlDomain = null;
        String sslId = null;
        String sslName = null;
        String type = null;
        String certificateInstanceId = null;
        String algorithmType = null;
        String certSha256 = null;
        String chainSha256 = null;
        String trustedRootCaSha256 = null;
        String serialNumber = null;
        String notAfter = null;
        String issuer = null;
        List<String> san = null;
        String publicKeySha256 = null;
        String boundAt = null;
        String model = null;
        String verifiedAt = null;
        ResourceState.Seen seen = null;
        String deposed = null;
        String provider = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "address" -> address = text(p, value, name);
                case "certificate" -> certificate = text(p, value, name);
                case "instance_id" -> instanceId = text(p, value, name);
                case "group_id" -> groupId = text(p, value, name);
                case "domain_id" -> domainId = text(p, value, name);
                case "url_domain" -> urlDomain = text(p, value, name);
                case "ssl_id" -> sslId = text(p, value, name);
                case "ssl_name" -> sslName = text(p, value, name);
                case "type" -> type = text(p, value, name);
                case "certificate_instance_id" -> certificateInstanceId = text(p, value, name);
                case "algorithm_type" -> algorithmType = text(p, value, name);
                case "cert_sha256" -> certSha256 = text(p, value, name);
                case "chain_sha256" -> chainSha256 = text(p, value, name);
                case "trusted_root_ca_sha256" -> trustedRootCaSha256 = text(p, value, name);
                case "serial_number" -> serialNumber = text(p, value, name);
                case "not_after" -> notAfter = text(p, value, name);
                case "issuer" -> issuer = text(p, value, name);
                case "san" -> san = texts(p, value, name);
                case "public_key_sha256" -> publicKeySha256 = text(p, value, name);
                case "bound_at" -> boundAt = text(p, value, name);
                case "model" -> model = text(p, value, name);
                case "verified_at" -> verifiedAt = text(p, value, name);
                case "seen" -> seen = readSeen(p, value);
                case "deposed" -> deposed = text(p, value, name);
                case "provider" -> provider = text(p, value, name);
                default -> p.skipChildren();
            }
        }
        if (provider != null && !provider.equals(ResourceState.providerOf(address))) {
            // format 3 writes the provider its address names; another is a state edited by hand, or corrupt
            throw new StreamReadException(p, "the resource " + address + " records the provider '" + provider
                    + "', but its address is the provider '" + ResourceState.providerOf(address) + "''s (an address"
                    + " of a provider other than default starts with provider.NAME.)");
        }
        if (shared != null) {
            certificate = shared.text(certificate);
            instanceId = shared.text(instanceId);
            groupId = shared.text(groupId);
            sslName = shared.text(sslName);
            type = shared.text(type);
            certificateInstanceId = shared.text(certificateInstanceId);
            algorithmType = shared.text(algorithmType);
            certSha256 = shared.text(certSha256);
            chainSha256 = shared.text(chainSha256);
            trustedRootCaSha256 = shared.text(trustedRootCaSha256);
            serialNumber = shared.text(serialNumber);
            notAfter = shared.text(notAfter);
            issuer = shared.text(issuer);
            publicKeySha256 = shared.text(publicKeySha256);
            boundAt = shared.text(boundAt);
            san = shared.texts(san);
            model = shared.text(model);
            verifiedAt = shared.text(verifiedAt);
        }
        deposed = FormatOneAddress.deposedKey(address, deposed); // format 1 marked it in the address
        return new ResourceState(FormatOneAddress.address(address), certificate, instanceId, groupId, domainId,
                urlDomain, sslId, sslName, type, certificateInstanceId, algorithmType, certSha256, chainSha256,
                trustedRootCaSha256, serialNumber, notAfter, issuer, publicKeySha256, boundAt, san, model, verifiedAt,
                seen, deposed);
    }

    /** What a refresh saw on a domain instead of certform's certificate: an object, or null. */
    private static ResourceState.Seen readSeen(JsonParser p, JsonToken value) throws JacksonException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.START_OBJECT) {
            throw new StreamReadException(p, "'seen' must be an object, not " + describe(value));
        }
        String sslId = null;
        String sslName = null;
        String serialNumber = null;
        String notAfter = null;
        String seenAt = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "ssl_id" -> sslId = text(p, v, name);
                case "ssl_name" -> sslName = text(p, v, name);
                case "serial_number" -> serialNumber = text(p, v, name);
                case "not_after" -> notAfter = text(p, v, name);
                case "seen_at" -> seenAt = text(p, v, name);
                default -> p.skipChildren();
            }
        }
        return new ResourceState.Seen(sslId, sslName, serialNumber, notAfter, seenAt);
    }

    /**
     * Writes one resource: every property, null or not, in this order, except {@code deposed}, {@code model},
     * {@code verified_at} and {@code seen}, written only when set (a per-domain binding records no model).
     */
    public static void writeResource(JsonGenerator g, ResourceState r) throws JacksonException {
        writeResource(g, r, false);
    }

    /**
     * As {@link #writeResource(JsonGenerator, ResourceState)}, with {@code "provider"} after the address when
     * {@code withProvider}: the state document's form (format 3). The journal's records and saved plans keep the
     * form they had: their addresses name the provider ({@code provider.P.}) all the same.
     */
    static void writeResource(JsonGenerator g, ResourceState r, boolean withProvider) throws JacksonException {
        if (r == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeStringProperty("address", r.address());
        if (withProvider) {
            g.writeStringProperty("provider", r.provider()); // state format 3; read from the address
        }
        if (r.deposed()) {
            g.writeStringProperty("deposed", r.deposedKey());
        }
        g.writeStringProperty("certificate", r.certificate());
        g.writeStringProperty("instance_id", r.instanceId());
        g.writeStringProperty("group_id", r.groupId());
        g.writeStringProperty("domain_id", r.domainId());
        g.writeStringProperty("url_domain", r.urlDomain());
        g.writeStringProperty("ssl_id", r.sslId());
        g.writeStringProperty("ssl_name", r.sslName());
        g.writeStringProperty("type", r.type());
        g.writeStringProperty("certificate_instance_id", r.certificateInstanceId());
        g.writeStringProperty("algorithm_type", r.algorithmType());
        g.writeStringProperty("cert_sha256", r.certSha256());
        g.writeStringProperty("chain_sha256", r.chainSha256());
        g.writeStringProperty("trusted_root_ca_sha256", r.trustedRootCaSha256());
        g.writeStringProperty("serial_number", r.serialNumber());
        g.writeStringProperty("not_after", r.notAfter());
        g.writeStringProperty("issuer", r.issuer());
        g.writeName("san");
        if (r.san() == null) {
            g.writeNull();
        } else {
            g.writeStartArray();
            for (String name : r.san()) {
                g.writeString(name);
            }
            g.writeEndArray();
        }
        g.writeStringProperty("public_key_sha256", r.publicKeySha256());
        g.writeStringProperty("bound_at", r.boundAt());
        if (r.model() != null) {
            g.writeStringProperty("model", r.model());
        }
        if (r.verifiedAt() != null) {
            g.writeStringProperty("verified_at", r.verifiedAt());
        }
        if (r.seen() != null) {
            g.writeName("seen");
            g.writeStartObject();
            g.writeStringProperty("ssl_id", r.seen().sslId());
            g.writeStringProperty("ssl_name", r.seen().sslName());
            g.writeStringProperty("serial_number", r.seen().serialNumber());
            g.writeStringProperty("not_after", r.seen().notAfter());
            g.writeStringProperty("seen_at", r.seen().seenAt());
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
