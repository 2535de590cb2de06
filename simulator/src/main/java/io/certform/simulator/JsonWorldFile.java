package io.certform.simulator;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.json.JsonMapper;

/**
 * World files in JSON, streamed both ways so that a world of 100,000 domains and more loads and saves without a
 * whole-file tree in memory: only one group is held as a tree at a time (or one instance's groups, in a file
 * that names the instance after its groups).
 */
final class JsonWorldFile {

    /** The file is not JSON at all, with the line and column where parsing stopped. */
    static final class NotJsonException extends Exception {
        NotJsonException(String message) {
            super(message);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private JsonWorldFile() {
    }

    static World read(Path file) throws WorldFile.WorldFileException, NotJsonException, IOException {
        World world = new World();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             JsonParser p = JSON.createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return world;
            }
            if (first != JsonToken.START_OBJECT) {
                throw new WorldFile.WorldFileException(file + ": expected a mapping");
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                p.nextToken();
                switch (key) {
                    case "instances" -> readInstances(p, world, file);
                    case "certificates_created" -> {
                        if (p.currentToken().isNumeric()) {
                            world.restoreCounters(p.getLongValue());
                        }
                    }
                    case "managed_certificates" -> readManaged(p, world, file);
                    case "managed_counters" -> {
                        Object counters = p.readValueAs(Object.class);
                        if (counters instanceof java.util.Map<?, ?> map
                                && map.get("created") instanceof Number created
                                && map.get("updated") instanceof Number updated) {
                            world.restoreManagedCounters(created.longValue(), updated.longValue());
                        }
                    }
                    default -> throw WorldFile.unknownTopKey(file, key);
                }
            }
            if (p.nextToken() != null) {
                throw new WorldFile.WorldFileException(file + ":" + where(p.currentTokenLocation())
                        + ": unexpected content after the world");
            }
        } catch (JacksonException e) {
            throw new NotJsonException(file + ":" + where(e.getLocation()) + ": not valid JSON: "
                    + e.getOriginalMessage());
        }
        return world;
    }

    private static void readInstances(JsonParser p, World world, Path file) throws WorldFile.WorldFileException {
        String where = file + ": instances";
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return;
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new WorldFile.WorldFileException(where + ": expected a list");
        }
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            String instanceWhere = where + "[" + i + "]";
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new WorldFile.WorldFileException(instanceWhere + ": expected a mapping");
            }
            String instanceId = null;
            List<Object> heldGroups = new ArrayList<>();
            int groupCount = 0;
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                JsonToken value = p.nextToken();
                if (key.equals("id") && value.isScalarValue() && value != JsonToken.VALUE_NULL) {
                    instanceId = p.getValueAsString();
                    world.addInstance(instanceId);
                    for (Object group : heldGroups) {
                        WorldFile.addGroup(world, instanceId, group, instanceWhere + ".groups[" + groupCount++ + "]");
                    }
                    heldGroups.clear();
                } else if (key.equals("groups") && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        Object group = p.readValueAs(Object.class); // a mapping becomes a LinkedHashMap
                        if (instanceId == null) {
                            heldGroups.add(group);
                        } else {
                            WorldFile.addGroup(world, instanceId, group,
                                    instanceWhere + ".groups[" + groupCount++ + "]");
                        }
                    }
                } else if (key.equals("groups") && value != JsonToken.VALUE_NULL) {
                    throw new WorldFile.WorldFileException(instanceWhere + ".groups: expected a list");
                } else {
                    p.skipChildren();
                }
            }
            if (instanceId == null || instanceId.isBlank()) {
                throw new WorldFile.WorldFileException(instanceWhere + ": missing 'id'");
            }
        }
    }

    /** The managed certificates, read after the instances so that every domain they are attached to exists. */
    private static void readManaged(JsonParser p, World world, Path file) throws WorldFile.WorldFileException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return;
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new WorldFile.WorldFileException(file + ": managed_certificates: expected a list");
        }
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            String where = file + ": managed_certificates[" + i + "]";
            Object entry = p.readValueAs(Object.class);
            if (!(entry instanceof java.util.Map<?, ?> map)) {
                throw new WorldFile.WorldFileException(where + ": expected a mapping");
            }
            BoundCertificate metadata = WorldFile.certificate(map, where);
            List<String[]> attached = new ArrayList<>();
            if (map.get("attached") instanceof List<?> list) {
                for (Object a : list) {
                    if (!(a instanceof java.util.Map<?, ?> at) || !(at.get("instance_id") instanceof String instance)
                            || !(at.get("group_id") instanceof String group)
                            || !(at.get("domain_id") instanceof String domain)) {
                        throw new WorldFile.WorldFileException(where + ".attached: expected instance_id, group_id and "
                                + "domain_id");
                    }
                    attached.add(new String[] {instance, group, domain});
                }
            }
            try {
                world.restoreManaged(String.valueOf(map.get("service")), metadata,
                        String.valueOf(map.get("update_time")), attached);
            } catch (ApiError e) {
                throw new WorldFile.WorldFileException(where + ": attached to a domain the world does not have");
            }
        }
    }

    private static String where(TokenStreamLocation location) {
        return location == null ? "" : location.getLineNr() + ":" + location.getColumnNr();
    }

    /** Writes the world as JSON, atomically (temporary file, then rename), readable by its owner only. */
    static void write(World world, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16);
                 JsonGenerator g = JSON.writerWithDefaultPrettyPrinter().createGenerator(out)) {
                g.writeStartObject();
                g.writeArrayPropertyStart("instances");
                world.forEachDomain(new Writer(g));
                g.writeEndArray();
                g.writeNumberProperty("certificates_created", world.certificatesCreated());
                writeManaged(world, g);
                g.writeEndObject();
                g.flush();
                out.write('\n');
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void writeManaged(World world, JsonGenerator g) {
        g.writeObjectPropertyStart("managed_counters");
        g.writeNumberProperty("created", world.managedCertificatesCreated());
        g.writeNumberProperty("updated", world.managedCertificatesUpdated());
        g.writeEndObject();
        g.writeArrayPropertyStart("managed_certificates");
        world.forEachManaged((service, c, updateTime, attachedTo) -> {
            g.writeStartObject();
            g.writeStringProperty("service", service);
            g.writeStringProperty("update_time", updateTime);
            Writer.certificateFields(g, c);
            g.writeArrayPropertyStart("attached");
            for (World.Attachment a : attachedTo) {
                g.writeStartObject();
                g.writeStringProperty("instance_id", a.instanceId());
                g.writeStringProperty("group_id", a.groupId());
                g.writeStringProperty("domain_id", a.domainId());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
        g.writeEndArray();
    }

    /** Streams the visited world: closes the open group and instance as the next one starts. */
    private static final class Writer implements World.DomainVisitor {
        private final JsonGenerator g;
        private boolean inInstance;
        private boolean inGroup;

        Writer(JsonGenerator g) {
            this.g = g;
        }

        @Override
        public void instance(String instanceId) {
            closeGroup();
            if (inInstance) {
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeStartObject();
            g.writeStringProperty("id", instanceId);
            g.writeArrayPropertyStart("groups");
            inInstance = true;
        }

        @Override
        public void group(String instanceId, String groupId) {
            closeGroup();
            g.writeStartObject();
            g.writeStringProperty("id", groupId);
            g.writeArrayPropertyStart("domains");
            inGroup = true;
        }

        @Override
        public void domain(String instanceId, String groupId, String domainId, String urlDomain,
                           BoundCertificate c, int certificatesBound) {
            g.writeStartObject();
            g.writeStringProperty("id", domainId);
            g.writeStringProperty("url_domain", urlDomain);
            g.writeNumberProperty("certificates_bound", certificatesBound);
            if (c != null) {
                g.writeObjectPropertyStart("certificate");
                certificateFields(g, c);
                g.writeEndObject();
            }
            g.writeEndObject();
        }

        static void certificateFields(JsonGenerator g, BoundCertificate c) {
                g.writeStringProperty("ssl_id", c.sslId());
                g.writeStringProperty("ssl_name", c.sslName());
                g.writeStringProperty("type", c.type());
                g.writeStringProperty("instance_id", c.instanceId());
                g.writeStringProperty("algorithm_type", c.algorithmType());
                g.writeStringProperty("common_name", c.commonName());
                strings(g, "san", c.san());
                g.writeStringProperty("not_before", c.notBefore());
                g.writeStringProperty("not_after", c.notAfter());
                g.writeStringProperty("serial_number", c.serialNumber());
                strings(g, "issuer", c.issuer());
                g.writeStringProperty("signature_algorithm", c.signatureAlgorithm());
                g.writeBooleanProperty("has_trusted_root_ca", c.hasTrustedRootCa());
                g.writeStringProperty("create_time", c.createTime());
        }

        @Override
        public void end() {
            closeGroup();
            if (inInstance) {
                g.writeEndArray();
                g.writeEndObject();
                inInstance = false;
            }
        }

        private void closeGroup() {
            if (inGroup) {
                g.writeEndArray();
                g.writeEndObject();
                inGroup = false;
            }
        }

        private static void strings(JsonGenerator g, String name, List<String> values) {
            g.writeArrayPropertyStart(name);
            values.forEach(g::writeString);
            g.writeEndArray();
        }
    }
}
