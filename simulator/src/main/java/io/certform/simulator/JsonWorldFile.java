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
 * cost a 100,000-domain world about 0.3 s more CPU on its first load (deserializers built by reflection, and a
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
                case "id" -> id = text(p, where + ".id");
                case "domains" -> domains = list(p, where + ".domains", JsonWorldFile::domain);
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
                case "id" -> id = text(p, where + ".id");
                case "url_domain" -> urlDomain = text(p, where + ".url_domain");
                case "certificates_bound" -> {
                    Long n = number(p, where + ".certificates_bound");
                    certificatesBound = n == null ? null : n.intValue();
                }
                case "certificate" -> certificate = certificate(p, where + ".certificate");
                default -> p.skipChildren();
            }
        }
        return new Domain(id, urlDomain, certificatesBound, certificate);
    }

    static Certificate certificate(JsonParser p, String where) throws WorldFileException {
        mapping(p, where);
        String[] texts = new String[TEXTS.size()];
        List<String> san = null;
        List<String> issuer = null;
        Boolean hasTrustedRootCa = null;
        List<Attachment> attached = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String key = p.currentName();
            p.nextToken();
            int text = TEXTS.indexOf(key);
            if (text >= 0) {
                texts[text] = text(p, where + "." + key);
            } else {
                switch (key) {
                    case "san" -> san = list(p, where + ".san", JsonWorldFile::text);
                    case "issuer" -> issuer = list(p, where + ".issuer", JsonWorldFile::text);
                    case "has_trusted_root_ca" -> hasTrustedRootCa = bool(p, where + ".has_trusted_root_ca");
                    case "attached" -> attached = list(p, where + ".attached", JsonWorldFile::attachment);
                    default -> p.skipChildren();
                }
            }
        }
        return new Certificate(texts[0], texts[1], texts[2], texts[3], texts[4], texts[5], texts[6], texts[7],
                san, texts[8], texts[9], texts[10], issuer, texts[11], hasTrustedRootCa, texts[12], attached);
    }

    /** The text-valued keys of a certificate, in the order of {@link Certificate}'s components. */
    private static final List<String> TEXTS = List.of("service", "update_time", "ssl_id", "ssl_name", "type",
            "instance_id", "algorithm_type", "common_name", "not_before", "not_after", "serial_number",
            "signature_algorithm", "create_time");

    private static Attachment attachment(JsonParser p, String where) throws WorldFileException {
        mapping(p, where);
        String instanceId = null;
        String groupId = null;
        String domainId = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String key = p.currentName();
            p.nextToken();
            switch (key) {
                case "instance_id" -> instanceId = text(p, where + ".instance_id");
                case "group_id" -> groupId = text(p, where + ".group_id");
                case "domain_id" -> domainId = text(p, where + ".domain_id");
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
                case "created" -> created = number(p, where + ".created");
                case "updated" -> updated = number(p, where + ".updated");
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

    private static <T> List<T> list(JsonParser p, String where, Reader<T> element) throws WorldFileException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new WorldFileException(where + ": expected a list");
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            out.add(p.currentToken() == JsonToken.VALUE_NULL ? null : element.read(p, where + "[" + i + "]"));
        }
        return out;
    }

    private static String text(JsonParser p, String where) throws WorldFileException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (!t.isScalarValue()) {
            throw new WorldFileException(where + ": expected a single value");
        }
        return p.getString();
    }

    private static Long number(JsonParser p, String where) throws WorldFileException {
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
        throw new WorldFileException(where + ": expected a number");
    }

    private static Boolean bool(JsonParser p, String where) throws WorldFileException {
        return switch (p.currentToken()) {
            case VALUE_NULL -> null;
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            case VALUE_STRING -> switch (p.getString().trim()) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new WorldFileException(where + ": expected true or false");
            };
            default -> throw new WorldFileException(where + ": expected true or false");
        };
    }
}
