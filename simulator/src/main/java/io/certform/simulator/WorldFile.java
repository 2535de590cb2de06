package io.certform.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes world files. The format (YAML, or JSON, which is YAML too):
 * <pre>
 * instances:
 *   - id: 6d2c1b9e
 *     groups:
 *       - id: 2a7c
 *         domains:
 *           - { id: f6bb84cc, url_domain: www.example.com }
 * </pre>
 * A persisted world adds, per domain, the bound {@code certificate} (metadata only, never a PEM or key) and
 * {@code certificates_bound}, and at the top {@code certificates_created}.
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
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Object root;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(file.toString())
                    .setAllowDuplicateKeys(false).setMaxAliasesForCollections(50).build();
            root = new Load(settings).loadFromString(text);
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
                throw new WorldFileException(file + ": unknown key '" + key
                        + "' (expected instances, certificates_created)");
            }
        }
        List<?> instances = list(top.get("instances"), file + ": instances");
        for (int i = 0; i < instances.size(); i++) {
            String where = file + ": instances[" + i + "]";
            Map<?, ?> instance = map(instances.get(i), where);
            String instanceId = string(instance, "id", where);
            List<?> groups = list(instance.get("groups"), where + ".groups");
            for (int g = 0; g < groups.size(); g++) {
                String groupWhere = where + ".groups[" + g + "]";
                Map<?, ?> group = map(groups.get(g), groupWhere);
                String groupId = string(group, "id", groupWhere);
                world.addGroup(instanceId, groupId);
                List<?> domains = list(group.get("domains"), groupWhere + ".domains");
                for (int d = 0; d < domains.size(); d++) {
                    String domainWhere = groupWhere + ".domains[" + d + "]";
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
                                certificate(map(certificate, domainWhere + ".certificate"),
                                        domainWhere + ".certificate"), bound);
                    }
                }
            }
        }
        if (top.get("certificates_created") instanceof Number n) {
            world.restoreCounters(n.longValue());
        }
        return world;
    }

    /** Writes the world as JSON, atomically (temporary file, then rename), readable by its owner only. */
    public static void write(World world, Path file) throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode root = json.createObjectNode();
        ArrayNode instances = root.putArray("instances");
        Map<String, ObjectNode> instanceNodes = new java.util.LinkedHashMap<>();
        Map<String, ArrayNode> domainLists = new java.util.LinkedHashMap<>();
        world.forEachDomain(new World.DomainVisitor() {
            @Override
            public void group(String instanceId, String groupId) {
                ObjectNode instance = instanceNodes.computeIfAbsent(instanceId, id -> {
                    ObjectNode node = instances.addObject();
                    node.put("id", id);
                    node.putArray("groups");
                    return node;
                });
                ObjectNode group = ((ArrayNode) instance.get("groups")).addObject();
                group.put("id", groupId);
                domainLists.put(instanceId + "/" + groupId, group.putArray("domains"));
            }

            @Override
            public void domain(String instanceId, String groupId, String domainId, String urlDomain,
                               BoundCertificate c, int certificatesBound) {
                ObjectNode domain = domainLists.get(instanceId + "/" + groupId).addObject();
                domain.put("id", domainId);
                domain.put("url_domain", urlDomain);
                domain.put("certificates_bound", certificatesBound);
                if (c != null) {
                    ObjectNode node = domain.putObject("certificate");
                    node.put("ssl_id", c.sslId());
                    node.put("ssl_name", c.sslName());
                    node.put("type", c.type());
                    node.put("instance_id", c.instanceId());
                    node.put("algorithm_type", c.algorithmType());
                    node.put("common_name", c.commonName());
                    c.san().forEach(node.putArray("san")::add);
                    node.put("not_before", c.notBefore());
                    node.put("not_after", c.notAfter());
                    node.put("serial_number", c.serialNumber());
                    c.issuer().forEach(node.putArray("issuer")::add);
                    node.put("signature_algorithm", c.signatureAlgorithm());
                    node.put("has_trusted_root_ca", c.hasTrustedRootCa());
                    node.put("create_time", c.createTime());
                }
            }
        });
        root.put("certificates_created", world.certificatesCreated());
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(temp, json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static BoundCertificate certificate(Map<?, ?> m, String where) throws WorldFileException {
        return new BoundCertificate(string(m, "ssl_id", where), string(m, "ssl_name", where),
                optional(m, "type", "global"), optional(m, "instance_id", null), optional(m, "algorithm_type", "RSA"),
                optional(m, "common_name", ""), strings(m.get("san")), optional(m, "not_before", ""),
                optional(m, "not_after", ""), optional(m, "serial_number", ""), strings(m.get("issuer")),
                optional(m, "signature_algorithm", ""), Boolean.TRUE.equals(m.get("has_trusted_root_ca")),
                optional(m, "create_time", ""));
    }

    private static Map<?, ?> map(Object node, String where) throws WorldFileException {
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

    private static String string(Map<?, ?> m, String key, String where) throws WorldFileException {
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
