package io.certform.simulator;

import io.certform.simulator.WorldRecords.Attachment;
import io.certform.simulator.WorldRecords.Certificate;
import io.certform.simulator.WorldRecords.Domain;
import io.certform.simulator.WorldRecords.Group;
import io.certform.simulator.WorldRecords.ManagedCounters;
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
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Reads and writes world files. The format (YAML, or JSON):
 * <pre>
 * project_id: 0a1b2c3d      # optional: the project this world is (another in a path answers 404 APIG.3030)
 * region: eu-west-101       # optional: a label, shown and saved
 * instances:
 *   - id: 6d2c1b9e
 *     groups:
 *       - id: 2a7c
 *         domains:
 *           - { id: f6bb84cc, url_domain: www.example.com }
 * </pre>
 * A persisted world adds, per domain, the bound {@code certificate} (metadata only, never a PEM or key) and
 * {@code certificates_bound}, and at the top {@code certificates_created}, {@code managed_counters} and the
 * {@code managed_certificates} with their attachments.
 *
 * <p>Both formats read into the same records ({@link WorldRecords}), streamed so that a world of 100,000 domains
 * and more loads and saves without a whole-file tree in memory: the top level and the instances are read token
 * by token, and one group at a time is read (or one instance's groups, in a file that names the instance after
 * its groups): a YAML group bound by Jackson's YAML module, a JSON one read token by token ({@link
 * JsonWorldFile}, for the speed of the saved world's load). A file named {@code .json}, or whose first character is <code>{</code>, is read as JSON (a
 * persisted world is JSON); anything else, and a YAML flow mapping that is not JSON, as YAML.
 */
public final class WorldFile {

    /** A world file that cannot be used, with the file and the entry at fault in the message. */
    public static final class WorldFileException extends Exception {
        public WorldFileException(String message) {
            super(message);
        }
    }

    /** The file is not in the format tried at all, with the line and column where parsing stopped. */
    private static final class SyntaxException extends Exception {
        SyntaxException(String message) {
            super(message);
        }
    }

    private WorldFile() {
    }

    public static World read(Path file) throws WorldFileException, IOException {
        boolean namedJson = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        try {
            if (namedJson || startsLikeJson(file)) {
                try {
                    return read(file, true);
                } catch (SyntaxException e) {
                    if (namedJson) {
                        throw e;
                    }
                    // a YAML flow mapping also starts with '{': read it as YAML below
                }
            }
            return read(file, false);
        } catch (SyntaxException e) {
            throw new WorldFileException(e.getMessage());
        }
    }

    private static boolean startsLikeJson(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            int c;
            do {
                c = in.read();
            } while (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xEF || c == 0xBB || c == 0xBF);
            return c == '{';
        }
    }

    /**
     * Reads a JSON world ({@code json}: its entries token by token, {@link JsonWorldFile}) or a YAML one (its
     * entries bound by databind); both into the same records, with the same checks.
     */
    private static World read(Path file, boolean json) throws WorldFileException, SyntaxException, IOException {
        World world = new World();
        ObjectMapper mapper = json ? WorldRecords.JSON : WorldRecords.yaml();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             JsonParser p = mapper.createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == null || first == JsonToken.VALUE_NULL) {
                return world;
            }
            if (first != JsonToken.START_OBJECT) {
                throw new WorldFileException(file + ": expected a mapping");
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                p.nextToken();
                switch (key) {
                    case "instances" -> readInstances(p, world, file, json);
                    case "certificates_created" -> {
                        if (p.currentToken().isNumeric()) {
                            world.restoreCounters(p.getLongValue());
                        } else {
                            p.skipChildren();
                        }
                    }
                    case "managed_certificates" -> readManaged(p, world, file, json);
                    case "dns_zones" -> WorldRecords.readDnsZones(p, world, file + ": dns_zones");
                    case "project_id" -> world.projectId(WorldRecords.label(p, file + ": project_id"));
                    case "region" -> world.region(WorldRecords.label(p, file + ": region"));
                    case "managed_counters" -> {
                        String where = file + ": managed_counters";
                        ManagedCounters counters = json ? JsonWorldFile.counters(p, where)
                                : bind(p, ManagedCounters.class, where);
                        if (counters.created() != null && counters.updated() != null) {
                            world.persistence().restoreManagedCounters(counters.created(), counters.updated());
                        }
                    }
                    default -> throw new WorldFileException(file + ": unknown key '" + key
                            + "' (expected project_id, region, instances, managed_certificates or dns_zones)");
                }
            }
            if (p.nextToken() != null) {
                throw new WorldFileException(file + ":" + where(p.currentTokenLocation())
                        + ": unexpected content after the world");
            }
        } catch (JacksonIOException e) {
            throw e.getCause();
        } catch (JacksonException e) {
            throw new SyntaxException(file + ":" + where(e.getLocation()) + ": not valid " + (json ? "JSON" : "YAML")
                    + ": " + e.getOriginalMessage());
        }
        return world;
    }

    private static void readInstances(JsonParser p, World world, Path file, boolean json)
            throws WorldFileException {
        String where = file + ": instances";
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return;
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new WorldFileException(where + ": expected a list");
        }
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            String instanceWhere = where + "[" + i + "]";
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new WorldFileException(instanceWhere + ": expected a mapping");
            }
            String instanceId = null;
            List<Group> heldGroups = new ArrayList<>();
            int groupCount = 0;
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                JsonToken value = p.nextToken();
                if (key.equals("id") && value.isScalarValue() && value != JsonToken.VALUE_NULL) {
                    instanceId = p.getValueAsString();
                    world.addInstance(instanceId);
                    for (Group group : heldGroups) {
                        addGroup(world, instanceId, group, instanceWhere + ".groups[" + groupCount++ + "]");
                    }
                    heldGroups.clear();
                } else if (key.equals("groups") && value == JsonToken.START_ARRAY) {
                    for (int g = groupCount + heldGroups.size(); p.nextToken() != JsonToken.END_ARRAY; g++) {
                        String groupWhere = instanceWhere + ".groups[" + g + "]";
                        Group group = json ? JsonWorldFile.group(p, groupWhere) : bind(p, Group.class, groupWhere);
                        if (instanceId == null) {
                            heldGroups.add(group);
                        } else {
                            addGroup(world, instanceId, group, instanceWhere + ".groups[" + groupCount++ + "]");
                        }
                    }
                } else if (key.equals("groups") && value != JsonToken.VALUE_NULL) {
                    throw new WorldFileException(instanceWhere + ".groups: expected a list");
                } else {
                    p.skipChildren();
                }
            }
            if (instanceId == null || instanceId.isBlank()) {
                throw new WorldFileException(instanceWhere + ": missing 'id'");
            }
        }
    }

    /** Adds one group of instance {@code instanceId}, its domains and their bound certificates. */
    private static void addGroup(World world, String instanceId, Group group, String where)
            throws WorldFileException {
        String groupId = WorldRecords.required(group.id(), "id", where);
        world.addGroup(instanceId, groupId);
        List<Domain> domains = group.domains() == null ? List.of() : group.domains();
        for (int d = 0; d < domains.size(); d++) {
            String domainWhere = where + ".domains[" + d + "]";
            Domain domain = domains.get(d);
            if (domain == null) {
                throw new WorldFileException(domainWhere + ": expected a mapping");
            }
            String domainId = WorldRecords.required(domain.id(), "id", domainWhere);
            if (world.hasDomain(instanceId, groupId, domainId)) {
                throw new WorldFileException(domainWhere + ": domain id '" + domainId
                        + "' appears twice in this group");
            }
            world.addDomain(instanceId, groupId, domainId,
                    WorldRecords.required(domain.urlDomain(), "url_domain", domainWhere));
            if (domain.certificate() != null) {
                world.persistence().restoreBinding(instanceId, groupId, domainId,
                        domain.certificate().toBound(domainWhere + ".certificate"),
                        domain.certificatesBound() == null ? 1 : domain.certificatesBound());
            }
        }
    }

    /** The managed certificates, read after the instances so that every domain they are attached to exists. */
    private static void readManaged(JsonParser p, World world, Path file, boolean json)
            throws WorldFileException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return;
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new WorldFileException(file + ": managed_certificates: expected a list");
        }
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            String where = file + ": managed_certificates[" + i + "]";
            Certificate entry = json ? JsonWorldFile.certificate(p, where) : bind(p, Certificate.class, where);
            BoundCertificate metadata = entry.toBound(where);
            List<String[]> attached = new ArrayList<>();
            for (Attachment a : entry.attached() == null ? List.<Attachment>of() : entry.attached()) {
                if (a == null || a.instanceId() == null || a.groupId() == null || a.domainId() == null) {
                    throw new WorldFileException(where + ".attached: expected instance_id, group_id and domain_id");
                }
                attached.add(new String[] {a.instanceId(), a.groupId(), a.domainId()});
            }
            try {
                world.persistence().restoreManaged(String.valueOf(entry.service()), metadata, String.valueOf(entry.updateTime()),
                        attached);
            } catch (ApiError e) {
                throw new WorldFileException(where + ": attached to a domain the world does not have");
            }
        }
    }

    /**
     * Binds the value at the parser to {@code type}; a value of the wrong shape is named by its place under
     * {@code where} ({@code where.domains[0].certificate: expected a mapping}), as a missing key is.
     */
    private static <T> T bind(JsonParser p, Class<T> type, String where) throws WorldFileException {
        T value;
        try {
            value = p.readValueAs(type);
        } catch (MismatchedInputException e) {
            StringBuilder path = new StringBuilder(where);
            for (JacksonException.Reference r : e.getPath()) {
                path.append(r.getPropertyName() != null ? "." + r.getPropertyName() : "[" + r.getIndex() + "]");
            }
            throw new WorldFileException(path + ": expected " + expected(e.getTargetType()));
        }
        if (value == null) {
            throw new WorldFileException(where + ": expected a mapping");
        }
        return value;
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "another value";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (type.isRecord() || Map.class.isAssignableFrom(type)) {
            return "a mapping";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        return "a single value";
    }

    private static String where(TokenStreamLocation location) {
        return location == null ? "" : location.getLineNr() + ":" + location.getColumnNr();
    }

    /** Writes the world as JSON, atomically (temporary file, then rename), readable by its owner only. */
    public static void write(World world, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16);
                 JsonGenerator g = WorldRecords.JSON.writerWithDefaultPrettyPrinter().createGenerator(out)) {
                g.writeStartObject();
                if (world.projectId() != null) {
                    g.writeStringProperty("project_id", world.projectId());
                }
                if (world.region() != null) {
                    g.writeStringProperty("region", world.region());
                }
                g.writeArrayPropertyStart("instances");
                world.persistence().forEachDomain(new Writer(g));
                g.writeEndArray();
                g.writeNumberProperty("certificates_created", world.certificatesCreated());
                g.writeObjectPropertyStart("managed_counters");
                g.writeNumberProperty("created", world.managedCertificatesCreated());
                g.writeNumberProperty("updated", world.managedCertificatesUpdated());
                g.writeEndObject();
                g.writeArrayPropertyStart("managed_certificates");
                world.persistence().forEachManaged((service, c, updateTime, attachedTo) -> g.writePOJO(Certificate.managed(
                        service, updateTime, c, attachedTo.stream()
                                .map(a -> new Attachment(a.instanceId(), a.groupId(), a.domainId())).toList())));
                g.writeEndArray();
                WorldRecords.writeDnsZones(g, world);
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

    /** Streams the visited world: closes the open group and instance as the next one starts. */
    private static final class Writer implements WorldPersistence.DomainVisitor {
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
            g.writePOJO(new Domain(domainId, urlDomain, certificatesBound, c == null ? null : Certificate.of(c)));
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
    }
}
