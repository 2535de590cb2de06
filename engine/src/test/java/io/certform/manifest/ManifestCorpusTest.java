package io.certform.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import io.certform.diag.Diagnostic;
import io.certform.diag.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One truth for the manifest's shape: every manifest of the corpus ({@code schemas/corpus/valid} and {@code invalid},
 * every example under {@code examples/}, every manifest written out in {@code docs/manifest.md}) is judged by
 * certform's parser and, independently, by a JSON Schema validator over {@code schemas/certform.schema.json} (the
 * YAML read as an editor's language server reads it), and the two agree on every file.
 *
 * <p>What certform checks beyond a manifest's shape (the certificates and keys the references name, a domain named
 * twice, an unset variable, the gateway's answers) is outside the schema's reach: see
 * {@code schemas/corpus/README.md}.
 */
class ManifestCorpusTest {

    private static final Path ROOT = Path.of("..");
    private static final Path CORPUS = ROOT.resolve("schemas/corpus");
    private static final Pattern FILE_REFERENCE = Pattern.compile("\\$\\{file:([^}]+)}");
    private static Schema schema;

    @TempDir
    Path dir;

    @BeforeAll
    static void readSchema() throws IOException {
        schema = ManifestSchemaTest.schema();
    }

    /** The corpus: each manifest, and whether certform reads it (valid) or refuses it (invalid). */
    static Stream<Arguments> corpus() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String kind : List.of("valid", "invalid")) {
            try (Stream<Path> files = Files.list(CORPUS.resolve(kind))) {
                files.filter(p -> p.toString().endsWith(".yaml")).sorted()
                        .forEach(p -> out.add(Arguments.of(kind + "/" + p.getFileName(), Files.exists(p) ? read(p) : "",
                                kind.equals("valid"))));
            }
        }
        for (Path example : ManifestSchemaTest.exampleManifests()) {
            out.add(Arguments.of(ROOT.relativize(example).toString().replace('\\', '/'), read(example), true));
        }
        int block = 0;
        for (String manifest : documentedManifests()) {
            out.add(Arguments.of("docs/manifest.md, manifest " + ++block, manifest, true));
        }
        return out.stream();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The YAML blocks of docs/manifest.md that are whole manifests (they start with {@code version:}). */
    static List<String> documentedManifests() throws IOException {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?s)```yaml\n(.*?)```").matcher(Files.readString(ROOT.resolve("docs/manifest.md")));
        while (m.find()) {
            if (m.group(1).startsWith("version:")) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void certformAndTheSchema_agree(String name, String text, boolean valid) throws IOException {
        List<String> parser = parserErrors(text);
        List<String> schemaErrors = schemaErrors(text);
        assertEquals(valid, parser.isEmpty(), name + ": certform should " + (valid ? "read" : "refuse")
                + " it; its errors: " + parser);
        assertEquals(valid, schemaErrors.isEmpty(), name + ": certform " + (valid ? "reads" : "refuses")
                + " it (" + parser + "), the schema " + (valid ? "refuses" : "accepts") + " it: " + schemaErrors);
    }

    @Test
    void corpus_holdsEveryKnownDisagreement_andEveryExample() throws IOException {
        for (String file : List.of("valid/version-quoted.yaml", "valid/numeric-ids.yaml", "valid/days-quoted.yaml",
                "invalid/match-with-domain.yaml", "invalid/instance-type-without-instance-id.yaml",
                "invalid/match-without-star.yaml", "invalid/http-endpoint-not-loopback.yaml")) {
            assertTrue(Files.isRegularFile(CORPUS.resolve(file)), file);
        }
        assertTrue(ManifestSchemaTest.exampleManifests().size() >= 6, "the examples are part of the corpus");
        assertTrue(documentedManifests().size() >= 1, "docs/manifest.md's manifest is part of the corpus");
    }

    /**
     * certform's errors for the manifest, as its parser reads it: every variable is set, and every file a
     * reference names exists (what is in them is checked beyond the manifest's shape).
     */
    private List<String> parserErrors(String text) throws IOException {
        // two levels down, so that a reference to ../other-example/certs lands inside the temporary folder
        Path folder = Files.createDirectories(Files.createTempDirectory(dir, "m").resolve("a/b"));
        Path file = folder.resolve("certform.yaml");
        Files.writeString(file, text);
        Matcher m = FILE_REFERENCE.matcher(text);
        while (m.find()) {
            Path named = folder.resolve(m.group(1)).normalize();
            if (named.startsWith(dir)) {
                Files.createDirectories(named.getParent());
                Files.writeString(named, "content");
            }
        }
        Matcher world = Pattern.compile("(?m)^\\s*world:\\s*(\\S+)").matcher(text);
        while (world.find()) { // a fleet's providers each name their own world file
            Files.writeString(folder.resolve(world.group(1)), "instances: []\n");
        }
        ManifestParser.Result result = new ManifestParser(ManifestCorpusTest::sample).parse(file, "certform.yaml");
        return result.diagnostics().all().stream().filter(d -> d.severity() == Severity.ERROR)
                .map(Diagnostic::headline).toList();
    }

    /** Every variable is set, to a value of the kind its name suggests (an endpoint, an ACME directory, a PostgreSQL URL). */
    private static String sample(String variable) {
        return variable.contains("ENDPOINT") ? "https://gateway.example.com"
                : variable.contains("DIRECTORY") ? "https://acme.example.com/directory"
                : variable.contains("PG_URL") ? "jdbc:postgresql://db.example.com:5432/certform" : "sample";
    }

    /** The schema's errors, for the manifest as the YAML language server reads it (YAML 1.2, no duplicate keys). */
    private static List<String> schemaErrors(String text) {
        JsonNode document;
        try {
            Object loaded = new Load(LoadSettings.builder().build()).loadFromString(text);
            document = JsonMapper.builder().build().valueToTree(loaded);
        } catch (YamlEngineException e) {
            return List.of("not loaded: " + e.getMessage().lines().findFirst().orElse(""));
        }
        return schema.validate(document).stream().map(Error::toString).toList();
    }
}
