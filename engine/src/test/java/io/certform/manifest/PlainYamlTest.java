package io.certform.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.bench.BenchWorkspace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * {@link PlainYaml} builds exactly the tree snakeyaml and {@link YamlComposer} build (values, scalar kinds, lines and
 * columns), or declines: on every YAML file and YAML block of the repository, every manifest written in a test, a
 * list of edge cases, and thousands of random edits of all of them (which are mostly not YAML, or not the subset).
 */
class PlainYamlTest {

    private static final Path ROOT = Path.of("..");
    private static final int LIMIT = 64 * 1024 * 1024;

    @TempDir
    Path dir;

    /** The settings {@link ManifestParser} reads a manifest with. */
    private static LoadSettings settings() {
        return LoadSettings.builder().setLabel("certform.yaml").setMaxAliasesForCollections(50)
                .setAllowRecursiveKeys(false).setCodePointLimit(LIMIT).setUseMarks(true).build();
    }

    /** The tree as text: kind, position and value of every node. */
    static String render(YamlNode node) {
        StringBuilder out = new StringBuilder();
        render(node, out);
        return out.toString();
    }

    private static void render(YamlNode node, StringBuilder out) {
        out.append('@').append(node.line()).append(':').append(node.column());
        if (node instanceof YamlNode.Scalar s) {
            out.append(s.isNull() ? "N" : s.isBoolean() ? "B" : s.isFloat() ? "F" : "T").append('"')
                    .append(s.value()).append('"');
        } else if (node instanceof YamlNode.Mapping m) {
            out.append("{");
            for (int i = 0; i < m.size(); i++) {
                render(m.key(i), out);
                out.append(": ");
                render(m.value(i), out);
                out.append(i + 1 < m.size() ? ", " : "");
            }
            out.append("}");
        } else {
            out.append("[");
            List<YamlNode> items = ((YamlNode.Sequence) node).items();
            for (int i = 0; i < items.size(); i++) {
                render(items.get(i), out);
                out.append(i + 1 < items.size() ? ", " : "");
            }
            out.append("]");
        }
    }

    /** snakeyaml's reading: the tree as text, or null when it refuses the text or finds no document. */
    private static String bySnakeyaml(String text) {
        try {
            Optional<YamlNode> root = YamlComposer.compose(text, settings());
            return root.map(PlainYamlTest::render).orElse(null);
        } catch (YamlEngineException e) {
            return null;
        }
    }

    /**
     * Checks one text; true when the fast reader answered. When it answers, snakeyaml must read the same tree;
     * identity of keys is kept too (the reader looks keys up by interned literals).
     */
    private static boolean agrees(String text, String name) {
        YamlNode fast = PlainYaml.read(text, settings().getSchema().getScalarResolver(), LIMIT);
        if (fast == null) {
            return false;
        }
        String expected = bySnakeyaml(text);
        assertEquals(expected, render(fast), () -> name + ": the fast reader's tree differs from snakeyaml's for:\n"
                + text);
        if (fast instanceof YamlNode.Mapping m && m.size() > 0 && m.key(0) instanceof YamlNode.Scalar key) {
            assertTrue(key.value() == key.value().intern(), name + ": keys are interned");
        }
        return true;
    }

    /** Every YAML file of the repository, the YAML blocks of the docs, and the manifests written in tests. */
    static Map<String, String> corpus() throws IOException {
        Map<String, String> out = new TreeMap<>();
        Pattern yamlBlock = Pattern.compile("```ya?ml\\n(.*?)```", Pattern.DOTALL);
        Pattern textBlock = Pattern.compile("\"\"\"\\n(.*?)\"\"\"", Pattern.DOTALL);
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String path = ROOT.relativize(file).toString();
                if (path.contains("target/") || path.startsWith(".") || path.contains("/.")) {
                    continue;
                }
                if (path.endsWith(".yaml") || path.endsWith(".yml")) {
                    out.put(path, Files.readString(file, StandardCharsets.UTF_8));
                } else if (path.endsWith(".md")) {
                    Matcher m = yamlBlock.matcher(Files.readString(file, StandardCharsets.UTF_8));
                    for (int i = 0; m.find(); i++) {
                        out.put(path + "#" + i, m.group(1));
                    }
                } else if (path.startsWith("engine/src/test/") && path.endsWith(".java")) {
                    Matcher m = textBlock.matcher(Files.readString(file, StandardCharsets.UTF_8));
                    for (int i = 0; m.find(); i++) {
                        if (m.group(1).contains(":")) {
                            out.put(path + "#" + i, m.group(1).stripIndent());
                        }
                    }
                }
            }
        }
        return out;
    }

    @Test
    void everyYamlOfTheRepository_isReadAsSnakeyamlReadsIt_andMostByTheFastReader() throws IOException {
        Map<String, String> corpus = corpus();
        List<String> declined = new java.util.ArrayList<>();
        for (Map.Entry<String, String> e : corpus.entrySet()) {
            if (!agrees(e.getValue(), e.getKey())) {
                declined.add(e.getKey());
            }
        }
        assertTrue(corpus.size() > 100, "the corpus: " + corpus.size());
        assertTrue(declined.size() < corpus.size() / 2, "the fast reader declined " + declined);
        for (String example : List.of("quickstart", "api-gateway", "batch-rollout", "secrets-from-env",
                "shared-certificate", "team-postgres")) {
            String text = corpus.get("examples/" + example + "/certform.yaml");
            assertNotNull(text, example);
            assertTrue(agrees(text, example), "the fast reader reads examples/" + example);
        }
    }

    @Test
    void randomEditsOfTheCorpus_areReadAsSnakeyamlReadsThem_orLeftToIt() throws IOException {
        String[] inserts = {" ", "  ", ":", ": ", "-", "- ", "#", " #", "{", "}", "[", "]", ",", "'", "\"", "''", "\n",
            "\n  ", "&a ", "*a", "!", "|", ">", "?", "~", "\\", "\t", "\r", "é", "%", "@", "---\n", "x", "1", ".", "$"};
        Random random = new Random(27);
        int edits = 0;
        int fast = 0;
        for (Map.Entry<String, String> e : corpus().entrySet()) {
            String text = e.getValue();
            if (text.isEmpty()) {
                continue;
            }
            for (int i = 0; i < 80; i++) {
                StringBuilder edited = new StringBuilder(text);
                for (int n = 1 + random.nextInt(2); n > 0; n--) {
                    int at = random.nextInt(edited.length() + 1);
                    switch (random.nextInt(3)) {
                        case 0 -> edited.insert(at, inserts[random.nextInt(inserts.length)]);
                        case 1 -> edited.delete(at, Math.min(edited.length(), at + 1 + random.nextInt(3)));
                        default -> {
                            int start = edited.lastIndexOf("\n", Math.max(0, at - 1)) + 1;
                            edited.insert(start, random.nextBoolean() ? " " : "  ");
                        }
                    }
                }
                edits++;
                if (agrees(edited.toString(), e.getKey() + " (edit " + i + ")")) {
                    fast++;
                }
            }
        }
        assertTrue(edits > 10_000, "edits: " + edits);
        assertTrue(fast > edits / 10, "the fast reader read " + fast + " of " + edits + " edits");
    }

    @Test
    void edgeCasesOfTheSubset_areReadAsSnakeyamlReadsThem() {
        List<String> read = List.of(
                "a: 1\n",
                "a: 1",
                "a:\n",
                "a:\nb: 2\n",
                "a:   # empty\nb: ~\nc: null\nd: Null\ne: true\nf: FALSE\ng: 1.5\nh: .5\ni: +1\nj: 1e3\n"
                        + "k: 0x1F\nl: yes\n",
                "true: 1\n1: a\nnull: c\n",
                "a:\n- x\n- y\nb: z\n",
                "a:\n  - x\n  -   y   # c\n",
                "a:\n  - b: 1\n    c: 2\n  - {d: 3}\n  - [4, 5]\n  - []\n  - {}\n",
                "a:\n  -  b: 1\n     c:\n     - x\n     d:\n       e: f\n",
                "a: { b: c d , e: 'f''g', h: \"i j\" }\n",
                "a: [ x , 'y' , \"z\" ]   \n",
                "a: 'it''s'\nb: ''\nc: \"\"\n",
                "a: ${file:certs/x.crt}\nb: ${env:KEY}   # a secret\n",
                "a: b c  d   \n",
                "a: http://127.0.0.1:9/x\n",
                "a: x:y\n",
                "# é, 証明書, ✓\na: 1 # ü\n\n\n   \n# end",
                "a:\n\n  b: 1\n\n  # c\n  c: 2\n",
                "a.b-c/d$e_f: 1\n",
                "a: b # c: d\nb: 'x' # y\nc: [d, e] # f\nd: [ ]\ne: {  }\nf: .inf\ng: .NaN\nh: 0o17\ni: 1_000\n",
                "a:  \nb:    # c\n  d: 1\n",
                "a: 1\n---\n",
                "a: [1, 2,]\n",
                "a: {b: }\n");
        List<String> declined = new java.util.ArrayList<>();
        for (String text : read) {
            if (!agrees(text, text)) {
                declined.add(text);
            }
        }
        // the last three are not YAML (a document after the first, a trailing comma, a missing value): snakeyaml's
        assertEquals(read.subList(read.size() - 3, read.size()), declined);
    }

    @Test
    void whatIsNotTheSubset_isLeftToSnakeyaml() {
        List<String> declined = List.of(
                "", "# only a comment\n", "- a\n", "a\n", "\"a\": 1\n", "a : 1\n", "a: &x 1\nb: *x\n", "a: !!str 1\n",
                "a: |\n  x\n", "a: >\n  x\n", "a: \"x\\ny\"\n", "a: 'x\n  y'\n", "a: x\n  y\n", "a:\n  x\n",
                "a:\tx\n", "a: x\r\n", "\uFEFFa: x\n", "---\na: x\n", "%YAML 1.2\n---\na: x\n",
                "a: { b: c,\n  d: e }\n",
                "a: b: c\n", "a: b:\n", "a: x#y\n", "a:\n  b: 1\n c: 2\n", "a:\n  - x\n  b: 1\n", "- a: 1\n",
                "a: 1\n- b\n", "a:\n-\n  b: 1\n", "a:\n  - - x\n", "a: é\n", "? a\n: b\n", "a: {b: {c: d}}\n",
                "a: [b, [c]]\n", "a: {b: c, }\n", "a: {b: c,, d: e}\n", "a: {b:c}\n", "a: -x\n", "a: @x\n", "a: `x`\n",
                "a: 1\n  b: 2\n", " a: 1\n", "a: 'b'c\n", "a: {b: c} d\n", "a: b\n...\n", "~: b\n", "a: -1\n",
                "a: <<\n", "<<: {a: 1}\n");
        for (String text : declined) {
            assertNull(PlainYaml.read(text, settings().getSchema().getScalarResolver(), LIMIT),
                    () -> "the fast reader should leave this to snakeyaml:\n" + text);
        }
        assertNull(PlainYaml.read("a: 1\n", settings().getSchema().getScalarResolver(), 4), "over the size limit");
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i <= YamlComposer.MAX_DEPTH; i++) {
            deep.append(" ".repeat(i)).append("k:\n");
        }
        deep.append(" ".repeat(YamlComposer.MAX_DEPTH + 1)).append("k: v\n");
        assertNull(PlainYaml.read(deep.toString(), settings().getSchema().getScalarResolver(), LIMIT), "too deep");
    }

    @Test
    void theBenchmarksManifest_isReadByTheFastReader() throws IOException {
        BenchWorkspace.write(dir, new BenchWorkspace.Spec(200, 10, 4, "http://127.0.0.1:9", false, false));
        String text = Files.readString(dir.resolve("certform.yaml"), StandardCharsets.UTF_8);
        assertTrue(agrees(text, "bench"), "the generated rollout is read by the fast reader");
    }
}
