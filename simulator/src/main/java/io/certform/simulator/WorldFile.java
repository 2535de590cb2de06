package io.certform.simulator;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads and writes world files. The format (YAML, or JSON):
 * <pre>
 * instances:
 *   - id: 6d2c1b9e
 *     groups:
 *       - id: 2a7c
 *         domains:
 *           - { id: f6bb84cc, url_domain: www.example.com }
 * </pre>
 * A persisted world adds, per domain, the bound {@code certificate} (metadata only, never a PEM or key) and
 * {@code certificates_bound}, and at the top {@code certificates_created}; a persisted JSON world also holds the
 * managed certificates and their attachments ({@code managed_certificates}, {@code managed_counters}).
 *
 * <p>Worlds of any size the machine can hold are read: a file named {@code .json}, or whose first character is
 * <code>{</code>, is streamed as JSON (a persisted world is JSON); anything else is read as YAML without
 * snakeyaml's default 3 MiB limit.
 */
public final class WorldFile {

    /** A world file that cannot be used, with the file and the entry at fault in the message. */
    public static final class WorldFileException extends Exception {
        public WorldFileException(String message) {
            super(message);
        }
    }

    private WorldFile() {
    }

    public static World read(Path file) throws WorldFileException, IOException {
        boolean namedJson = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        if (namedJson || startsLikeJson(file)) {
            try {
                return JsonWorldFile.read(file);
            } catch (JsonWorldFile.NotJsonException e) {
                if (namedJson) {
                    throw new WorldFileException(e.getMessage());
                }
                // a YAML flow mapping also starts with '{': read it as YAML below
            }
        }
        return readYaml(file);
    }

    /** Writes the world as JSON, atomically (temporary file, then rename), readable by its owner only. */
    public static void write(World world, Path file) throws IOException {
        JsonWorldFile.write(world, file);
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

    private static World readYaml(Path file) throws WorldFileException, IOException {
        Object root;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            LoadSettings settings = LoadSettings.builder().setLabel(file.toString())
                    .setAllowDuplicateKeys(false).setMaxAliasesForCollections(50)
                    .setCodePointLimit(Integer.MAX_VALUE).build();
            root = new Load(settings).loadFromInputStream(in);
        } catch (YamlEngineException e) {
            throw new WorldFileException(file + ": not valid YAML: " + e.getMessage());
        }
        World world = new World();
        if (root == null) {
            return world;
        }
        Map<?, ?> top = map(root, file + "");
        for (Map.Entry<?, ?> entry : top.entrySet()) {
            String key = String.valueOf(entry.getKey());
            if (!key.equals("instances") && !key.equals("certificates_created")) {
                throw unknownTopKey(file, key);
            }
        }
        List<?> instances = list(top.get("instances"), file + ": instances");
        for (int i = 0; i < instances.size(); i++) {
            String where = file + ": instances[" + i + "]";
            Map<?, ?> instance = map(instances.get(i), where);
            String instanceId = string(instance, "id", where);
            world.addInstance(instanceId);
            List<?> groups = list(instance.get("groups"), where + ".groups");
            for (int g = 0; g < groups.size(); g++) {
                addGroup(world, instanceId, groups.get(g), where + ".groups[" + g + "]");
            }
        }
        if (top.get("certificates_created") instanceof Number n) {
            world.restoreCounters(n.longValue());
        }
        return world;
    }

    static WorldFileException unknownTopKey(Path file, String key) {
        return new WorldFileException(file + ": unknown key '" + key + "' (expected instances, certificates_created)");
    }

    /** Adds one group entry (a mapping with {@code id} and {@code domains}) of instance {@code instanceId}. */
    static void addGroup(World world, String instanceId, Object node, String where) throws WorldFileException {
        Map<?, ?> group = map(node, where);
        String groupId = string(group, "id", where);
        world.addGroup(instanceId, groupId);
        List<?> domains = list(group.get("domains"), where + ".domains");
        for (int d = 0; d < domains.size(); d++) {
            String domainWhere = where + ".domains[" + d + "]";
            Map<?, ?> domain = map(domains.get(d), domainWhere);
            String domainId = string(domain, "id", domainWhere);
            if (world.hasDomain(instanceId, groupId, domainId)) {
                throw new WorldFileException(domainWhere + ": domain id '" + domainId
                        + "' appears twice in this group");
            }
            world.addDomain(instanceId, groupId, domainId, string(domain, "url_domain", domainWhere));
            Object certificate = domain.get("certificate");
            if (certificate != null) {
                int bound = domain.get("certificates_bound") instanceof Number n ? n.intValue() : 1;
                world.restoreBinding(instanceId, groupId, domainId,
                        certificate(map(certificate, domainWhere + ".certificate"), domainWhere + ".certificate"),
                        bound);
            }
        }
    }

    static BoundCertificate certificate(Map<?, ?> m, String where) throws WorldFileException {
        return new BoundCertificate(string(m, "ssl_id", where), string(m, "ssl_name", where),
                optional(m, "type", "global"), optional(m, "instance_id", null), optional(m, "algorithm_type", "RSA"),
                optional(m, "common_name", ""), strings(m.get("san")), optional(m, "not_before", ""),
                optional(m, "not_after", ""), optional(m, "serial_number", ""), strings(m.get("issuer")),
                optional(m, "signature_algorithm", ""), Boolean.TRUE.equals(m.get("has_trusted_root_ca")),
                optional(m, "create_time", ""));
    }

    static Map<?, ?> map(Object node, String where) throws WorldFileException {
        if (!(node instanceof Map<?, ?> m)) {
            throw new WorldFileException(where + ": expected a mapping");
        }
        return m;
    }

    private static List<?> list(Object node, String where) throws WorldFileException {
        if (node == null) {
            return List.of();
        }
        if (!(node instanceof List<?> l)) {
            throw new WorldFileException(where + ": expected a list");
        }
        return l;
    }

    static String string(Map<?, ?> m, String key, String where) throws WorldFileException {
        Object value = m.get(key);
        if (value == null || String.valueOf(value).isBlank()) {
            throw new WorldFileException(where + ": missing '" + key + "'");
        }
        return String.valueOf(value);
    }

    private static String optional(Map<?, ?> m, String key, String fallback) {
        Object value = m.get(key);
        return value == null ? fallback : String.valueOf(value);
    }

    private static List<String> strings(Object node) {
        List<String> out = new ArrayList<>();
        if (node instanceof List<?> l) {
            l.forEach(v -> out.add(String.valueOf(v)));
        }
        return out;
    }
}
