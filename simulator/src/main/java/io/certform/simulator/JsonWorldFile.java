package io.certform.simulator;

import io.certform.simulator.WorldFile.WorldFileException;
import io.certform.simulator.WorldRecords.Attachment;
import io.certform.simulator.WorldRecords.Certificate;
import io.certform.simulator.WorldRecords.Domain;
import io.certform.simulator.WorldRecords.Group;
import io.certform.simulator.WorldRecords.ManagedCounters;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The entries of a JSON world read token by token into the records a YAML world binds to through databind,
 * with databind's names, leniency and messages: a number or a boolean where a text is expected is read as its
 * text, an unknown key is skipped, and a value of the wrong shape is named by its place. Why not databind here
 * too: a saved world is JSON and is read on every run of the embedded simulator, and databind's record binding
 * made a 100,000-domain world's first load 0.3 to 0.4 s of CPU slower (deserializers built by reflection, and a
 * longer path run before it is compiled); see docs/simulator.md. {@code WorldFileTest} holds both readers to the
 * same results.
 */
final class JsonWorldFile {

    @FunctionalInterface
    private interface Reader<T> {
        T read(JsonParser p, String where) throws WorldFileException;
    }

    private JsonWorldFile() {
    }

    static Group group(JsonParser p, String where) throws WorldFileException {
        mapping(p, where);
        String id = null;
        List<Domain> domains = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String key = p.currentName();
            p.nextToken();
            switch (key) {
                case "id" -> id = text(p, where, key);
                case "domains" -> domains = list(p, where, key, JsonWorldFile::domain);
                default -> p.skipChildren();
            }
        }
        return new Group(id, domains);
    }

    private static Domain domain(JsonParser p, String where) throws WorldFileException {
        mapping(p, where);
        String id = null;
        String urlDomain = null;
        Integer certificatesBound = null;
        Certificate certificate = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String key = p.currentName();
            p.nextToken();
            switch (key) {
                case "id" -> id = text(p, where, key);
                case "url_domain" -> urlDomain = text(p, where, key);
                case "certificates_bound" -> {
                    Long n = number(p, where, key);
                    certificatesBound = n == null ? null : n.intValue();
                }
                case "certificate" -> certificate = certificate(p, where + "." + key);
                default -> p.skipChildren();
            }
        }
        return new Domain(id, urlDomain, certificatesBound, certificate);
    }

    static Certificate certificate(JsonParser p, String where) throws WorldFileException {
        mapping(p, where);
        String service = null;
        String updateTime = null;
        String sslId = null;
        String sslName = null;
        String type = null;
        String instanceId = null;
        String algorithmType = null;
        String commonName = null;
        List<String> san = null;
        String notBefore = null;
        String notAfter = null;
        String serialNumber = null;
        List<String> issuer = null;
        String signatureAlgorithm = null;
        Boolean hasTrustedRootCa = null;
        String createTime = null;
        List<Attachment> attached = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String key = p.currentName();
            p.nextToken();
            switch (key) {
                case "service" -> service = text(p, where, key);
                case "update_time" -> updateTime = text(p, where, key);
                case "ssl_id" -> sslId = text(p, where, key);
                case "ssl_name" -> sslName = text(p, where, key);
                case "type" -> type = text(p, where, key);
                case "instance_id" -> instanceId = text(p, where, key);
                case "algorithm_type" -> algorithmType = text(p, where, key);
                case "common_name" -> commonName = text(p, where, key);
                case "san" -> san = texts(p, where, key);
                case "not_before" -> notBefore = text(p, where, key);
                case "not_after" -> notAfter = text(p, where, key);
                case "serial_number" -> serialNumber = text(p, where, key);
                case "issuer" -> issuer = texts(p, where, key);
                case "signature_algorithm" -> signatureAlgorithm = text(p, where, key);
                case "has_trusted_root_ca" -> hasTrustedRootCa = bool(p, where, key);
                case "create_time" -> createTime = text(p, where, key);
                case "attached" -> attached = list(p, where, key, JsonWorldFile::attachment);
                default -> p.skipChildren();
            }
        }
        return new Certificate(service, updateTime, sslId, sslName, type, instanceId, algorithmType, commonName,
                san, notBefore, notAfter, serialNumber, issuer, signatureAlgorithm, hasTrustedRootCa, createTime,
                attached);
    }

    private static Attachment attachment(JsonParser p, String where) throws WorldFileException {
        mapping(p, where);
        String instanceId = null;
        String groupId = null;
        String domainId = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String key = p.currentName();
            p.nextToken();
            switch (key) {
                case "instance_id", "group_id", "domain_id" -> {
                    String value = text(p, where, key);
                    switch (key) {
                        case "instance_id" -> instanceId = value;
                        case "group_id" -> groupId = value;
                        default -> domainId = value;
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new Attachment(instanceId, groupId, domainId);
    }

    static ManagedCounters counters(JsonParser p, String where) throws WorldFileException {
        mapping(p, where);
        Long created = null;
        Long updated = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String key = p.currentName();
            p.nextToken();
            switch (key) {
                case "created" -> created = number(p, where, key);
                case "updated" -> updated = number(p, where, key);
                default -> p.skipChildren();
            }
        }
        return new ManagedCounters(created, updated);
    }

    /** At the start of a mapping; a null (as databind binds it) or any other value is not one. */
    private static void mapping(JsonParser p, String where) throws WorldFileException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new WorldFileException(where + ": expected a mapping");
        }
    }

    /** The list under {@code key}; each element, with its place {@code where.key[i]}, read by {@code element}. */
    private static <T> List<T> list(JsonParser p, String where, String key, Reader<T> element)
            throws WorldFileException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new WorldFileException(where + "." + key + ": expected a list");
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            out.add(p.currentToken() == JsonToken.VALUE_NULL ? null
                    : element.read(p, where + "." + key + "[" + i + "]"));
        }
        return out;
    }

    /** A list of texts: as {@link #list}, with each element's place built only for an error. */
    private static List<String> texts(JsonParser p, String where, String key) throws WorldFileException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new WorldFileException(where + "." + key + ": expected a list");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            out.add(text(p, where, key + "[" + i + "]"));
        }
        return out;
    }

    /** The text under {@code key}: a number or a boolean as its text; null for null. */
    private static String text(JsonParser p, String where, String key) throws WorldFileException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (!t.isScalarValue()) {
            throw new WorldFileException(where + "." + key + ": expected a single value");
        }
        return p.getString();
    }

    private static Long number(JsonParser p, String where, String key) throws WorldFileException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t.isNumeric()) {
            return p.getValueAsLong();
        }
        if (t == JsonToken.VALUE_STRING) {
            try {
                return Long.parseLong(p.getString().trim());
            } catch (NumberFormatException e) {
                // named below
            }
        }
        throw new WorldFileException(where + "." + key + ": expected a number");
    }

    private static Boolean bool(JsonParser p, String where, String key) throws WorldFileException {
        return switch (p.currentToken()) {
            case VALUE_NULL -> null;
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            case VALUE_STRING -> switch (p.getString().trim()) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new WorldFileException(where + "." + key + ": expected true or false");
            };
            default -> throw new WorldFileException(where + "." + key + ": expected true or false");
        };
    }
}
