package io.certform.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.certform.diag.Diagnostic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * schemas/certform.schema.json describes what the parser reads: every example manifest conforms to it, and the
 * schema and the parser ({@link ManifestParser#ACCEPTED_KEYS}) name the same keys, except the v2 keys listed in
 * {@link #PLANNED}, which the parser does not read yet.
 */
class ManifestSchemaTest {

    /**
     * Keys of the v2 contract (PRODUCT.md) that the schema describes and the parser does not accept yet. This list
     * only shrinks: when the parser accepts one, the test fails until it is removed here (and the parser's key
     * registered in {@link ManifestParser#ACCEPTED_KEYS}). A key below a planned key is planned with it.
     */
    private static final Set<String> PLANNED = Set.of();

    /**
     * Keys the parser accepts only together with others (the schema says so too): a probe of one sets these beside
     * it, so that what is probed is the key, not the pairing rule.
     */
    private static final Map<String, Map<String, String>> COMPANIONS = Map.ofEntries(
            Map.entry("certificates.*.cert_content_sign", Map.of("private_key_sign", "${env:SAMPLE}", "algorithm_type",
                    "SM2")),
            Map.entry("certificates.*.private_key_sign", Map.of("cert_content_sign", "${env:SAMPLE}", "algorithm_type",
                    "SM2")),
            Map.entry("rollout.order", Map.of("by", "provider")),
            Map.entry("state.url", Map.of("backend", "postgres")),
            Map.entry("state.workspace", Map.of("backend", "postgres")),
            Map.entry("state.schema", Map.of("backend", "postgres")),
            Map.entry("state.lease", Map.of("backend", "postgres")),
            Map.entry("providers.*.world", Map.of("endpoint", "embedded")),
            Map.entry("provider.credentials.ak", Map.of("sk", "${env:SAMPLE}")),
            Map.entry("provider.credentials.sk", Map.of("ak", "${env:SAMPLE}")),
            Map.entry("provider.credentials.security_token", Map.of("ak", "${env:SAMPLE}", "sk", "${env:SAMPLE}")),
            Map.entry("providers.*.credentials.ak", Map.of("sk", "${env:SAMPLE}")),
            Map.entry("providers.*.credentials.sk", Map.of("ak", "${env:SAMPLE}")),
            Map.entry("providers.*.credentials.security_token", Map.of("ak", "${env:SAMPLE}", "sk",
                    "${env:SAMPLE}")));

    private static final Path ROOT = Path.of("..");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    static Schema schema() throws IOException {
        try (var in = Files.newInputStream(ROOT.resolve("schemas/certform.schema.json"))) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }

    static JsonNode schemaJson() throws IOException {
        return JSON.readTree(Files.readString(ROOT.resolve("schemas/certform.schema.json")));
    }

    /** A YAML manifest as the JSON tree the schema validates (what an editor's YAML language server does). */
    static JsonNode yaml(String text) {
        Object loaded = new Load(LoadSettings.builder().build()).loadFromString(text);
        return JSON.valueToTree(loaded);
    }

    static List<Path> exampleManifests() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT.resolve("examples"))) {
            // manifests, not the simulator worlds an example may start from (*.world.yaml)
            return files.filter(p -> p.getFileName().toString().endsWith(".yaml")
                    && !p.getFileName().toString().endsWith(".world.yaml")
                    && !p.toString().contains(".certform")).sorted().toList();
        }
    }

    private static List<String> errors(Schema schema, JsonNode document) {
        return schema.validate(document).stream().map(Error::toString).toList();
    }

    @Test
    void everyExampleManifest_conformsToTheSchema_andNamesItForEditors() throws Exception {
        Schema schema = schema();
        List<Path> examples = exampleManifests();
        assertTrue(examples.size() >= 3, "examples found: " + examples);
        for (Path example : examples) {
            String text = Files.readString(example);
            assertEquals(List.of(), errors(schema, yaml(text)), example.toString());
            String first = text.lines().findFirst().orElse("");
            String prefix = "# yaml-language-server: $schema=";
            assertTrue(first.startsWith(prefix), example + " must start with the schema line, not: " + first);
            Path target = example.getParent().resolve(first.substring(prefix.length()).strip()).normalize();
            assertEquals(ROOT.resolve("schemas/certform.schema.json").normalize(), target,
                    example + ": the schema line must point at schemas/certform.schema.json");
        }
    }

    @Test
    void initStarter_conformsToTheSchema_asWrittenAndWithItsExampleUncommented() throws Exception {
        Path manifest = dir.resolve("certform.yaml");
        io.certform.cli.CliRun init = io.certform.cli.CliRun.run("init", "-f", manifest.toString());
        assertEquals(0, init.exitCode(), init.toString());
        String text = Files.readString(manifest);
        assertTrue(text.startsWith("# yaml-language-server: $schema=https://"), text);
        Schema schema = schema();
        assertEquals(List.of(), errors(schema, yaml(text)), "as written");
        String example = text.lines().dropWhile(l -> !l.startsWith("# certificates:"))
                .map(l -> l.substring(2)).collect(Collectors.joining("\n"));
        // a domain needs its instance: the example takes it from the defaults block above it, uncommented with it
        String uncommented = text.replace("certificates: {}", "").replaceAll("(?s)# Replace.*", "")
                .replace("# defaults:", "defaults:").replace("#   instance_id:", "  instance_id:") + example;
        assertTrue(uncommented.contains("\n  shop:"), uncommented);
        assertEquals(List.of(), errors(schema, yaml(uncommented)), "with its example:\n" + uncommented);
    }

    @Test
    void schema_refusesWhatTheParserRefuses() throws Exception {
        Schema schema = schema();
        String valid = Files.readString(ROOT.resolve("examples/quickstart/certform.yaml"));
        assertEquals(List.of(), errors(schema, yaml(valid)));
        Map<String, String> broken = Map.of(
                "a misspelt key", valid.replace("cert_content:", "cert_contnet:"),
                "a name the API refuses", valid.replace("name: shop_api_2026", "name: 9shop"),
                "an unknown service", valid.replace("service: roma", "service: romaa"),
                "a private key written in the manifest", valid.replace("${file:certs/shop.demo-only.key}",
                        "\"-----BEGIN PRIVATE KEY-----\""),
                "a certificate key that is no address", valid.replace("  shop:", "  \"shop api\":"),
                "no domains", valid.replace("    domains:\n      - { group_id: 5e1d", "    dommains:\n      - { group_id: 5e1d"));
        for (Map.Entry<String, String> e : broken.entrySet()) {
            assertFalse(e.getValue().equals(valid), e.getKey() + ": the replacement must apply");
            assertFalse(errors(schema, yaml(e.getValue())).isEmpty(), e.getKey() + " must not conform");
        }
    }

    // ---- the schema and the parser agree on the keys

    /** Every key the schema describes, as {@code path -> keys}, in the notation of ACCEPTED_KEYS. */
    static Map<String, Set<String>> schemaKeys(JsonNode root) {
        Map<String, Set<String>> keys = new TreeMap<>();
        walk(root, root, "", keys);
        return keys;
    }

    private static JsonNode resolve(JsonNode root, JsonNode node) {
        while (node.has("$ref")) {
            String ref = node.get("$ref").asString();
            assertTrue(ref.startsWith("#/$defs/"), ref);
            node = root.path("$defs").path(ref.substring("#/$defs/".length()));
            assertFalse(node.isMissingNode(), ref);
        }
        return node;
    }

    private static void walk(JsonNode root, JsonNode node, String path, Map<String, Set<String>> keys) {
        node = resolve(root, node);
        JsonNode properties = node.path("properties");
        for (Map.Entry<String, JsonNode> p : properties.properties()) {
            keys.computeIfAbsent(path, k -> new TreeSet<>()).add(p.getKey());
            walk(root, p.getValue(), path.isEmpty() ? p.getKey() : path + "." + p.getKey(), keys);
        }
        if (node.path("additionalProperties").isObject()) {
            walk(root, node.get("additionalProperties"), path + ".*", keys);
        }
        if (node.path("items").isObject()) {
            walk(root, node.get("items"), path + "[]", keys);
        }
        for (String alternatives : List.of("oneOf", "anyOf", "allOf")) {
            for (JsonNode alternative : node.path(alternatives)) {
                walk(root, alternative, path, keys);
            }
        }
    }

    private static Set<String> flat(Map<String, Set<String>> keys) {
        Set<String> out = new TreeSet<>();
        keys.forEach((path, names) -> names.forEach(n -> out.add(path.isEmpty() ? n : path + "." + n)));
        return out;
    }

    private static boolean planned(String key) {
        for (String p : PLANNED) {
            if (key.equals(p) || key.startsWith(p + ".") || key.startsWith(p + "[")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void schemaAndParser_nameTheSameKeys_exceptThePlannedOnes() throws Exception {
        Set<String> schema = flat(schemaKeys(schemaJson()));
        Set<String> parser = flat(ManifestParser.ACCEPTED_KEYS);
        List<String> problems = new ArrayList<>();
        for (String key : parser) {
            if (!schema.contains(key)) {
                problems.add("the parser accepts '" + key + "' but schemas/certform.schema.json does not describe"
                        + " it: add it there, with a description");
            }
            if (PLANNED.contains(key)) {
                problems.add("the parser accepts '" + key + "' now: remove it from ManifestSchemaTest.PLANNED");
            }
        }
        for (String key : schema) {
            if (!parser.contains(key) && !planned(key)) {
                problems.add("the schema describes '" + key + "' but the parser does not accept it (a key the"
                        + " parser reads is registered in ManifestParser.ACCEPTED_KEYS)");
            }
        }
        for (String key : PLANNED) {
            if (!schema.contains(key)) {
                problems.add("PLANNED names '" + key + "', which the schema does not describe");
            }
        }
        assertEquals(List.of(), problems);
    }

    /**
     * The registry is checked against the parser's behaviour, so that a key added to the parser without being
     * registered is caught too: a manifest holding one accepted key parses without an error, and one holding a
     * planned key (whose parent the parser reads) is refused.
     */
    @Test
    void parser_acceptsEveryRegisteredKey_andRefusesEveryPlannedOne() throws Exception {
        JsonNode schemaRoot = schemaJson();
        Map<String, Set<String>> schemaKeys = schemaKeys(schemaRoot);
        assertEquals(List.of(), parse(base()).stream().map(Diagnostic::headline).toList(), "the base manifest");
        List<String> problems = new ArrayList<>();
        Set<String> parser = flat(ManifestParser.ACCEPTED_KEYS);
        for (String key : flat(schemaKeys)) {
            boolean accepted = parser.contains(key);
            if (!accepted && !PLANNED.contains(key)) {
                continue; // below a planned key: probed with it
            }
            ObjectNode manifest = probe(schemaRoot, key);
            List<String> errors = parse(manifest).stream().map(Diagnostic::headline).toList();
            if (accepted && !errors.isEmpty()) {
                problems.add("registered key '" + key + "' is refused by the parser: " + errors + " in " + manifest);
            }
            if (!accepted && errors.isEmpty()) {
                problems.add("planned key '" + key + "' is accepted by the parser now: register it in"
                        + " ManifestParser.ACCEPTED_KEYS and remove it from ManifestSchemaTest.PLANNED");
            }
        }
        assertEquals(List.of(), problems);
    }

    private static ObjectNode base() {
        ObjectNode m = JSON.createObjectNode();
        m.put("version", 1);
        m.putObject("provider").put("endpoint", "embedded").put("project_id", "proj1");
        m.putObject("defaults").put("instance_id", "inst1");
        ObjectNode shop = m.putObject("certificates").putObject("shop");
        shop.put("name", "shop_api_2026").put("cert_content", "${env:SAMPLE}").put("private_key", "${env:SAMPLE}");
        shop.putArray("domains").addObject().put("group_id", "grp1").put("domain", "api.shop.example.com");
        return m;
    }

    private List<Diagnostic> parse(ObjectNode manifest) throws IOException {
        Path file = dir.resolve("certform.yaml");
        Files.writeString(file, JSON.writeValueAsString(manifest)); // JSON is YAML
        Files.writeString(dir.resolve("gateway.world.yaml"), "instances: []\n"); // what provider.world's example names
        ManifestParser.Result result = new ManifestParser(name -> "sample").parse(file, "certform.yaml");
        return result.diagnostics().all().stream()
                .filter(d -> d.severity() == io.certform.diag.Severity.ERROR).toList();
    }

    /** The base manifest with {@code key} set to a sample value in a parent that holds no planned key. */
    private static ObjectNode probe(JsonNode root, String key) {
        ObjectNode manifest = base();
        if (key.startsWith("certificates.*.acme")) { // an entry issued by ACME: no files, and the key store's password
            ObjectNode shop = (ObjectNode) manifest.get("certificates").get("shop");
            shop.remove("cert_content");
            shop.remove("private_key");
            ObjectNode acme = shop.putObject("acme").put("directory", "https://acme.example.com/directory");
            if (key.startsWith("certificates.*.acme.challenge.exec")) {
                acme.putObject("challenge").put("dns", "exec");
            }
            manifest.putObject("keystore").put("password", "${env:SAMPLE}");
        }
        int dot = key.lastIndexOf('.');
        String parentPath = dot < 0 ? "" : key.substring(0, dot);
        String name = key.substring(dot + 1);
        JsonNode parentSchema = schemaAt(root, parentPath);
        ObjectNode parent = parentPath.isEmpty() ? manifest : container(manifest, parentPath, parentSchema, name,
                parentPath);
        parent.set(name, sample(root, parentSchema.path("properties").path(name), parentPath + "." + name));
        COMPANIONS.getOrDefault(key, Map.of()).forEach(parent::put);
        return manifest;
    }

    /** The object at {@code path} in the manifest, replaced by an example of its schema where one fits better. */
    private static ObjectNode container(ObjectNode manifest, String path, JsonNode schema, String name, String at) {
        JsonNode node = manifest;
        ObjectNode holder = manifest;
        String last = null;
        for (String part : path.replace("[]", ".[]").split("\\.")) {
            if (node instanceof ObjectNode object) {
                holder = object;
                // a mapping the base manifest lacks (providers) gets one entry, named "sample"
                last = !part.equals("*") ? part : object.isEmpty() ? "sample" : object.propertyNames().iterator().next();
                node = object.path(last);
                if (node.isMissingNode()) {
                    node = object.putObject(last); // a block below one the base manifest lacks (rollout.probe)
                }
            } else if (node instanceof ArrayNode array && part.equals("[]")) {
                node = array.get(0);
            }
        }
        ObjectNode chosen = null;
        List<JsonNode> candidates = new ArrayList<>();
        if (node instanceof ObjectNode existing) {
            candidates.add(existing);
        }
        schema.path("examples").forEach(candidates::add);
        for (JsonNode c : candidates) {
            if (c.has(name) && noOtherPlannedKey(c, path, name)) {
                chosen = (ObjectNode) c.deepCopy();
                break;
            }
        }
        if (chosen == null) {
            for (JsonNode c : candidates) {
                if (noOtherPlannedKey(c, path, name)) {
                    chosen = (ObjectNode) c.deepCopy();
                    break;
                }
            }
        }
        if (chosen == null) {
            chosen = JSON.createObjectNode();
        }
        // ${file:...} in an example names a file that does not exist here: the environment resolves every variable
        chosen = (ObjectNode) JSON.readTree(JSON.writeValueAsString(chosen)
                .replaceAll("\\$\\{file:[^}]*}", "\\${env:SAMPLE}"));
        if (node instanceof ObjectNode && path.endsWith("[]")) {
            ArrayNode array = (ArrayNode) holder.get(last);
            array.set(0, chosen);
        } else {
            holder.set(last, chosen);
        }
        return chosen;
    }

    private static boolean noOtherPlannedKey(JsonNode candidate, String path, String name) {
        for (Iterator<String> it = candidate.propertyNames().iterator(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals(name) && planned(path + "." + k)) {
                return false;
            }
        }
        return true;
    }

    /** The object schema that describes the keys at {@code path}. */
    private static JsonNode schemaAt(JsonNode root, String path) {
        JsonNode node = resolve(root, root);
        if (path.isEmpty()) {
            return node;
        }
        for (String part : path.replace("[]", ".[]").split("\\.")) {
            node = resolve(root, node);
            if (part.equals("*")) {
                node = node.path("additionalProperties");
            } else if (part.equals("[]")) {
                node = node.path("items");
            } else {
                node = node.path("properties").path(part);
            }
            node = resolve(root, node);
            if (!node.has("properties")) {
                for (JsonNode alternative : node.path("oneOf")) {
                    if (resolve(root, alternative).has("properties")) {
                        node = resolve(root, alternative);
                    }
                }
            }
        }
        return node;
    }

    /** A value the schema offers for a key: an example, the default, the constant, the first choice. */
    private static JsonNode sample(JsonNode root, JsonNode schema, String where) {
        schema = resolve(root, schema);
        JsonNode value = null;
        if (schema.path("examples").size() > 0) {
            value = schema.path("examples").get(0);
        } else if (schema.has("default")) {
            value = schema.get("default");
        } else if (schema.has("const")) {
            value = schema.get("const");
        } else if (schema.path("enum").size() > 0) {
            value = schema.path("enum").get(0);
        } else if (schema.path("oneOf").size() > 0) {
            return sample(root, schema.path("oneOf").get(0), where);
        } else if (schema.path("anyOf").size() > 0) {
            return sample(root, schema.path("anyOf").get(0), where);
        } else if ("array".equals(schema.path("type").asString())) {
            ArrayNode array = JSON.createArrayNode();
            array.add(sample(root, schema.path("items"), where + "[]"));
            return array;
        } else if (schema.has("pattern") && schema.get("pattern").asString().contains("(file|env)")) {
            value = JSON.getNodeFactory().stringNode("${env:SAMPLE}");
        }
        if (value == null) {
            throw new AssertionError("give " + where + " an example in the schema, to probe the parser with");
        }
        // ${file:...} examples name files that do not exist here: the environment resolves every variable
        String text = JSON.writeValueAsString(value).replaceAll("\\$\\{file:[^}]*}", "\\${env:SAMPLE}");
        return JSON.readTree(text);
    }
}
