package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's Markdown as a reader sees it: every file rendered as GitHub renders it (CommonMark with GFM
 * tables) shows no broken code span and no table row with more cells than its header (a '|' inside a cell splits
 * it unless written '\|'); and every command block that the docs mark runnable ({@code <!-- runnable -->} on the
 * line before the fence, docs/architecture.md) runs as written, from a scratch copy of the repository.
 */
class MarkdownDocsTest {

    private static final Path ROOT = Path.of("..");
    private static final List<Extension> GFM = List.of(TablesExtension.create());
    static final String RUNNABLE = "<!-- runnable -->";

    @TempDir
    Path scratch;

    @Test
    void everyMarkdownFile_rendersWithoutABrokenCodeSpanOrTableRow() throws IOException {
        List<Path> files = markdownFiles();
        assertTrue(files.size() >= 14 && files.contains(ROOT.resolve("README.md")), "Markdown files: " + files);
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            for (String problem : problems(Files.readString(file))) {
                problems.add(ROOT.relativize(file) + ": " + problem);
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void renderCheck_findsASplitCodeSpan_aShownBackslash_andAnExtraCell_butNotAnEscapedPipe() {
        String table = "| option | |\n|---|---|\n";
        assertEquals(List.of(), problems(table + "| `--format text\\|json` | the format |\n"));
        assertTrue(problems(table + "| `--format text|json` | the format |\n").stream()
                .anyMatch(p -> p.contains("code span is not closed")));
        assertEquals(List.of("'--to postgres\\|local' shows its backslash: write \\| (once) for a '|' in a table"),
                problems(table + "| `--to postgres\\\\|local` | where |\n"));
        assertTrue(problems(table + "| a | b | c |\n").get(0).contains("3 cells"), "an extra cell");
        assertEquals(List.of(), problems("Text with `a|b` outside a table.\n"));
    }

    /** What a reader would see broken in {@code markdown}, rendered with GFM tables. */
    static List<String> problems(String markdown) {
        List<String> out = new ArrayList<>();
        Node document = Parser.builder().extensions(GFM).build().parse(markdown);
        HtmlRenderer.builder().extensions(GFM).build().render(document);
        document.accept(new AbstractVisitor() {
            @Override
            public void visit(Text text) {
                if (text.getLiteral().contains("`")) {
                    out.add("a code span is not closed where it is shown: '" + text.getLiteral().strip() + "' (a '|'"
                            + " inside a table cell splits the cell: write \\|)");
                }
            }

            @Override
            public void visit(Code code) {
                if (inTable(code) && code.getLiteral().contains("\\|")) {
                    out.add("'" + code.getLiteral() + "' shows its backslash: write \\| (once) for a '|' in a table");
                }
            }
        });
        out.addAll(extraCells(markdown));
        return out;
    }

    private static boolean inTable(Node node) {
        for (Node n = node.getParent(); n != null; n = n.getParent()) {
            if (n instanceof TableCell) {
                return true;
            }
        }
        return false;
    }

    /** Table rows with more cells than their header: GFM drops the excess, so a reader never sees it. */
    private static List<String> extraCells(String markdown) {
        List<String> out = new ArrayList<>();
        String[] lines = markdown.split("\n");
        boolean fenced = false;
        int header = -1;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("```")) {
                fenced = !fenced;
            }
            if (fenced || !line.startsWith("|")) {
                header = -1;
                continue;
            }
            if (header < 0) {
                boolean delimiter = i + 1 < lines.length && lines[i + 1].matches("\\|?\\s*:?-+:?\\s*(\\|\\s*:?-+:?\\s*)*\\|?\\s*");
                header = delimiter ? cells(line) : -1;
                continue;
            }
            int cells = cells(line);
            if (cells > header) {
                out.add("line " + (i + 1) + " has " + cells + " cells, its table " + header
                        + " (a '|' inside a cell splits it: write \\|): " + line);
            }
        }
        return out;
    }

    /** Cells of a GFM table row: split on each '|' not preceded by a backslash, the outer ones excluded. */
    private static int cells(String row) {
        String r = row.strip();
        int pipes = 0;
        for (int i = 0; i < r.length(); i++) {
            if (r.charAt(i) == '|' && (i == 0 || r.charAt(i - 1) != '\\')) {
                pipes++;
            }
        }
        return pipes - (r.startsWith("|") ? 1 : 0) - (r.endsWith("|") && !r.endsWith("\\|") ? 1 : 0) + 1;
    }

    // ---- runnable blocks

    private static final Pattern BLOCK = Pattern.compile("(?m)^" + Pattern.quote(RUNNABLE) + "\\n```sh\\n(.*?)^```",
            Pattern.DOTALL);
    private static final Pattern COMMENT = Pattern.compile("\\s+#\\s(.*)$");
    private static final Pattern EXIT = Pattern.compile("\\bexit (\\d+)\\b");

    /**
     * Each marked block runs in a scratch copy of the repository (its examples and schemas), from the repository's
     * root, line by line; a line exits 0 unless its comment says {@code exit N}; certform reads "yes" on standard
     * input, as a reader answers its question.
     */
    @Test
    void runnableBlocks_runAsWritten() throws IOException {
        int blocks = 0;
        for (Path file : markdownFiles()) {
            Matcher block = BLOCK.matcher(Files.readString(file));
            while (block.find()) {
                Path repo = scratch.resolve("block-" + ++blocks);
                copy(ROOT.resolve("examples"), repo.resolve("examples"));
                copy(ROOT.resolve("schemas"), repo.resolve("schemas"));
                RecipeShell.Run run = new RecipeShell.Run();
                RecipeShell shell = new RecipeShell(repo, Map.of(), run).answering("yes\n");
                for (String line : RecipeShell.lines(block.group(1))) {
                    Matcher comment = COMMENT.matcher(line);
                    String command = comment.find() ? line.substring(0, comment.start()) : line;
                    Matcher exit = comment.reset().find() ? EXIT.matcher(comment.group(1)) : null;
                    int expected = exit != null && exit.find() ? Integer.parseInt(exit.group(1)) : 0;
                    assertEquals(expected, shell.line(command), ROOT.relativize(file) + ": " + line + "\n" + run.log);
                }
            }
        }
        assertTrue(blocks >= 3, "runnable blocks found (README's tour, docs/architecture.md's example,"
                + " docs/workflow.md's start of a project): " + blocks);
    }

    static List<Path> markdownFiles() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> Stream.of("target", ".git", "node_modules")
                            .noneMatch(skip -> ROOT.relativize(p).toString().startsWith(skip + "/")
                                    || ROOT.relativize(p).toString().contains("/" + skip + "/")))
                    .sorted().toList();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                String rel = from.relativize(f).toString();
                if (rel.startsWith(".certform") || rel.contains("/.certform") || rel.contains(".state.json")) {
                    continue; // what a run left in the working tree is not in a fresh clone
                }
                Path target = to.resolve(rel);
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
