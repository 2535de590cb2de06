package io.certform.simulator;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.MapperBuilder;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLAnchorReplayingFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The entries of a world file as records, one model for both formats, and the mappers of one configuration that
 * parse and write them: a YAML world's groups are bound to these records by Jackson's YAML module; a JSON world's
 * are read into the same records token by token ({@link JsonWorldFile}), and a saved world is written from them.
 * Names are the records' components in snake_case ({@code urlDomain} is {@code url_domain}). A key below the top
 * that no record names is ignored, as it always was; the top level and the instances are streamed by
 * {@link WorldFile}, so that no world is ever held whole as a tree: one group at a time is read.
 */
final class WorldRecords {

    /** JSON: the persisted form, streamed both ways (its parser refuses duplicate keys, as YAML's does). */
    static final JsonMapper JSON = configure(JsonMapper.builder());

    /**
     * YAML, of any size (no 3 MiB code point limit), with anchors and aliases replayed (an alias reads as a copy
     * of what its anchor names, merge keys too). Built on first use: a run that reads only JSON never loads it.
     */
    static YAMLMapper yaml() {
        return Yaml.MAPPER;
    }

    private static final class Yaml {
        static final YAMLMapper MAPPER = configure(YAMLMapper.builder(YAMLAnchorReplayingFactory.builder()
                .loadSettings(LoadSettings.builder().setCodePointLimit(Integer.MAX_VALUE).build())
                .build()));
    }

    private WorldRecords() {
    }

    private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> M configure(B builder) {
        return builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    /** An API group: its id and its domains. */
    record Group(String id, List<Domain> domains) {
    }

    /** A domain; a persisted one adds its bound certificate and how many certificates it has had bound. */
    record Domain(String id, String urlDomain, Integer certificatesBound,
                  @JsonInclude(JsonInclude.Include.NON_NULL) Certificate certificate) {
    }

    /**
     * A certificate's metadata (never a PEM or a key): bound to a domain, or a managed certificate, which adds
     * the {@code service} it was created in, its {@code update_time} and the domains it is {@code attached} to.
     */
    record Certificate(@JsonInclude(JsonInclude.Include.NON_NULL) String service,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String updateTime,
                       String sslId, String sslName, String type, String instanceId, String algorithmType,
                       String commonName, List<String> san, String notBefore, String notAfter, String serialNumber,
                       List<String> issuer, String signatureAlgorithm, Boolean hasTrustedRootCa, String createTime,
                       @JsonInclude(JsonInclude.Include.NON_NULL) List<Attachment> attached) {

        static Certificate of(BoundCertificate c) {
            return managed(null, null, c, null);
        }

        static Certificate managed(String service, String updateTime, BoundCertificate c, List<Attachment> attached) {
            return new Certificate(service, updateTime, c.sslId(), c.sslName(), c.type(), c.instanceId(),
                    c.algorithmType(), c.commonName(), c.san(), c.notBefore(), c.notAfter(), c.serialNumber(),
                    c.issuer(), c.signatureAlgorithm(), c.hasTrustedRootCa(), c.createTime(), attached);
        }

        /** The metadata, with the defaults of a hand-written entry; {@code where} names the entry in errors. */
        BoundCertificate toBound(String where) throws WorldFile.WorldFileException {
            return new BoundCertificate(required(sslId, "ssl_id", where), required(sslName, "ssl_name", where),
                    orElse(type, "global"), instanceId, orElse(algorithmType, "RSA"), orElse(commonName, ""),
                    strings(san), orElse(notBefore, ""), orElse(notAfter, ""), orElse(serialNumber, ""),
                    strings(issuer), orElse(signatureAlgorithm, ""), Boolean.TRUE.equals(hasTrustedRootCa),
                    orElse(createTime, ""));
        }
    }

    /** A domain a managed certificate is attached to. */
    record Attachment(String instanceId, String groupId, String domainId) {
    }

    /** How many managed certificates were ever created and updated. */
    record ManagedCounters(Long created, Long updated) {
    }

    /**
     * {@code dns_zones: [{name: example.com.}]}: the world's Huawei Cloud DNS zones (their record sets are not
     * kept), read token by token in both formats; a wrong entry is named by its place.
     */
    static void readDnsZones(JsonParser p, World world, String where) throws WorldFile.WorldFileException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return;
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new WorldFile.WorldFileException(where + ": expected a list of zones ({name: example.com.})");
        }
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            String at = where + "[" + i + "]";
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new WorldFile.WorldFileException(at + ": expected a mapping with 'name'");
            }
            String name = null;
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                p.nextToken();
                if (key.equals("name") && p.currentToken() == JsonToken.VALUE_STRING) {
                    name = p.getString();
                } else {
                    p.skipChildren();
                }
            }
            try {
                world.dns().addZone(required(name, "name", at));
            } catch (IllegalArgumentException e) {
                throw new WorldFile.WorldFileException(at + ": " + e.getMessage());
            }
        }
    }

    /** Writes the zones of {@link #readDnsZones} (names only). */
    static void writeDnsZones(JsonGenerator g, World world) {
        g.writeArrayPropertyStart("dns_zones");
        for (DnsZones.Zone zone : world.dns().zones()) {
            g.writeStartObject();
            g.writeStringProperty("name", zone.name());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** {@code value}, or the error {@code where: missing 'key'} when it is absent or blank. */
    static String required(String value, String key, String where) throws WorldFile.WorldFileException {
        if (value == null || value.isBlank()) {
            throw new WorldFile.WorldFileException(where + ": missing '" + key + "'");
        }
        return value;
    }

    private static String orElse(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static List<String> strings(List<String> values) {
        List<String> out = new ArrayList<>();
        if (values != null) {
            values.forEach(v -> out.add(String.valueOf(v)));
        }
        return out;
    }

    /** A non-empty text value at the top of a world file (a project id, a region), numbers as written. */
    static String label(JsonParser p, String where) throws WorldFile.WorldFileException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_STRING || token.isNumeric()) {
            String text = p.getString();
            if (!text.isBlank()) {
                return text;
            }
        }
        p.skipChildren();
        throw new WorldFile.WorldFileException(where + ": expected a non-empty text");
    }
}
