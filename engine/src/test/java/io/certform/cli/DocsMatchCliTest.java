package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The documentation names the commands and options that exist: docs/cli.md lists every command and every option of
 * each (and nothing else), and every {@code certform ...} line of the CI recipes in docs/ci.md parses with the
 * command model.
 */
class DocsMatchCliTest {

    private static final Path DOCS = Path.of("..", "docs");
    private static final Set<String> HELP = Set.of("-h", "--help", "-V", "--version");

    /** Every visible command, by qualified name ("certform state list"). */
    private static Map<String, CommandSpec> commands() {
        Map<String, CommandSpec> out = new LinkedHashMap<>();
        collect(Main.model(), out);
        out.remove("certform");
        return out;
    }

    private static void collect(CommandLine cli, Map<String, CommandSpec> out) {
        CommandSpec spec = cli.getCommandSpec();
        if (spec.usageMessage().hidden()) {
            return;
        }
        out.put(spec.qualifiedName(), spec);
        cli.getSubcommands().values().forEach(sub -> collect(sub, out));
    }

    /** The sections of a markdown file by "## " heading. */
    private static Map<String, String> sections(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        String[] parts = text.split("\n## ");
        for (int i = 1; i < parts.length; i++) {
            int end = parts[i].indexOf('\n');
            out.put(parts[i].substring(0, end).strip(), parts[i].substring(end + 1));
        }
        return out;
    }

    /** The option names in the first cells of a section's tables: {@code | `-f, --file FILE` | ... |}. */
    private static Set<String> documentedOptions(String section) {
        Set<String> names = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `([^`]+)` \\|").matcher(section);
        while (row.find()) {
            for (String part : row.group(1).split(", ")) {
                String name = part.split(" ")[0];
                if (name.startsWith("-")) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    @Test
    void cliReference_listsEveryCommandAndOption_andNothingStale() throws IOException {
        Map<String, String> sections = sections(Files.readString(DOCS.resolve("cli.md")));
        Set<String> common = documentedOptions(sections.get("Common options"));
        assertTrue(common.contains("--file"), "the common options table: " + common);
        Map<String, CommandSpec> commands = commands();
        List<String> problems = new ArrayList<>();
        for (String heading : sections.keySet()) {
            if (!heading.equals("Common options") && !commands.containsKey(heading)) {
                problems.add("docs/cli.md documents '" + heading + "', which is no command");
            }
        }
        for (Map.Entry<String, CommandSpec> c : commands.entrySet()) {
            String section = sections.get(c.getKey());
            if (section == null) {
                problems.add("docs/cli.md has no section '## " + c.getKey() + "'");
                continue;
            }
            Set<String> actual = new TreeSet<>();
            for (OptionSpec o : c.getValue().options()) {
                if (!o.hidden()) {
                    actual.addAll(List.of(o.names()));
                }
            }
            actual.removeAll(HELP);
            Set<String> documented = documentedOptions(section);
            if (section.contains("[common options](#common-options)")) {
                if (!actual.containsAll(common)) {
                    problems.add(c.getKey() + " refers to the common options but lacks some of " + common);
                }
                documented.addAll(common);
            }
            for (String name : actual) {
                if (!documented.contains(name)) {
                    problems.add(c.getKey() + ": option " + name + " is not in docs/cli.md");
                }
            }
            for (String name : documented) {
                if (!actual.contains(name)) {
                    problems.add(c.getKey() + ": docs/cli.md lists " + name + ", which it does not have");
                }
            }
            for (var p : c.getValue().positionalParameters()) {
                if (!p.hidden() && !section.contains("| `" + p.paramLabel() + "` |")) {
                    problems.add(c.getKey() + ": argument " + p.paramLabel() + " is not in docs/cli.md");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    // ---- the CI recipes

    private static final Pattern INVOCATION = Pattern.compile("(?:^|[\\s;&|(!])(?:[\\w./$-]*/)?certform\\s+([a-z].*)");

    /** Every certform command line in the code blocks of a markdown file, by the "## " section it is in. */
    static Map<String, List<List<String>>> invocations(String markdown) {
        Map<String, List<List<String>>> out = new LinkedHashMap<>();
        String section = "";
        boolean inCode = false;
        StringBuilder pending = new StringBuilder();
        for (String line : markdown.split("\n")) {
            if (line.startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            if (!inCode) {
                if (line.startsWith("## ")) {
                    section = line.substring(3).strip();
                }
                continue;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            String full = pending.append(line).toString();
            pending.setLength(0);
            Matcher m = INVOCATION.matcher(full);
            if (m.find()) {
                out.computeIfAbsent(section, k -> new ArrayList<>()).add(words(m.group(1)));
            }
        }
        return out;
    }

    /** Shell words up to the first operator, redirection or comment; quotes removed. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (int i = 0; i <= line.length(); i++) {
            char c = i < line.length() ? line.charAt(i) : ' ';
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
                continue;
            }
            if (c == '"' || c == '\'') {
                quote = c;
                any = true;
            } else if (Character.isWhitespace(c)) {
                if (any || word.length() > 0) {
                    String w = word.toString();
                    if (w.matches("\\|\\|?|&&|;|[0-9]?>>?.*|<|#.*|\\)")) {
                        return words;
                    }
                    words.add(w);
                }
                word.setLength(0);
                any = false;
            } else {
                word.append(c);
            }
        }
        return words;
    }

    @Test
    void ciRecipes_useOnlyCommandsAndOptionsThatExist() throws IOException {
        Map<String, List<List<String>>> recipes = invocations(Files.readString(DOCS.resolve("ci.md")));
        List<String> problems = new ArrayList<>();
        for (String platform : List.of("GitHub Actions", "GitLab CI", "Jenkins")) {
            List<List<String>> lines = recipes.getOrDefault(platform, List.of());
            Set<String> used = new TreeSet<>();
            lines.forEach(words -> used.add(words.get(0)));
            assertTrue(used.containsAll(Set.of("plan", "show", "apply", "validate", "certs")),
                    platform + " recipe runs plan, show, apply, validate and certs: " + used);
            assertTrue(lines.stream().anyMatch(w -> w.get(0).equals("plan") && String.join(" ", w)
                    .contains("--format markdown") && w.contains("-out")), platform + ": plan -out --format markdown");
        }
        int count = 0;
        for (List<List<String>> lines : recipes.values()) {
            for (List<String> words : lines) {
                count++;
                try {
                    Main.model().parseArgs(words.toArray(String[]::new));
                } catch (CommandLine.ParameterException e) {
                    problems.add("certform " + String.join(" ", words) + ": " + e.getMessage());
                }
            }
        }
        assertTrue(count >= 19, "certform lines found: " + count);
        assertEquals(List.of(), problems);
    }

    @Test
    void ciRecipes_yamlBlocksAreYaml() throws IOException {
        String markdown = Files.readString(DOCS.resolve("ci.md"));
        Matcher block = Pattern.compile("(?s)```yaml\n(.*?)```").matcher(markdown);
        int count = 0;
        while (block.find()) {
            count++;
            Object loaded = new org.snakeyaml.engine.v2.api.Load(
                    org.snakeyaml.engine.v2.api.LoadSettings.builder().build()).loadFromString(block.group(1));
            assertTrue(loaded instanceof Map, "a YAML mapping: " + block.group(1));
        }
        assertEquals(4, count, "the state block, GitHub Actions, GitLab CI, and the alert rules");
    }

    @Test
    void recipeReader_findsAndRefusesWhatDoesNotExist() {
        Map<String, List<List<String>>> found = invocations("## X\n```sh\nFOO=1 certform plan -out \"a b.plan\""
                + " --frobnicate > plan.md || [ $? -eq 2 ]\necho certform.yaml\n```\n");
        assertEquals(List.of(List.of("plan", "-out", "a b.plan", "--frobnicate")), found.get("X"));
        CommandLine.ParameterException e = org.junit.jupiter.api.Assertions.assertThrows(
                CommandLine.ParameterException.class,
                () -> Main.model().parseArgs(found.get("X").get(0).toArray(String[]::new)));
        assertTrue(e.getMessage().contains("--frobnicate"), e.getMessage());
    }

    /** destroy's help lists what destroy takes: no saved plan, no rollout option (both refused, with a reason). */
    @Test
    void destroyHelp_listsNeitherASavedPlanNorTheRolloutOptionsItRefuses() {
        CliRun help = CliRun.run(Map.of(), "", "destroy", "--help");
        assertTrue(help.out().contains("summary of the destroy"), help.toString());
        assertFalse(help.out().contains("summary of the apply"), help.toString());
        assertEquals(0, help.exitCode(), help.toString());
        for (String refused : List.of("PLANFILE", "--waves", "--verify", "--max-failures", "--on-failure",
                "--probe-resolve", "--wave-pause", "--confirm-waves")) {
            assertTrue(!help.out().contains(refused), refused + " in:\n" + help.out());
        }
        assertTrue(help.out().contains("--notify") && help.out().contains("--target"), help.out());
        CliRun plan = CliRun.run(Map.of(), "", "destroy", "some.plan");
        assertEquals(1, plan.exitCode(), plan.toString());
        assertTrue(plan.err().contains("destroy does not take a saved plan"), plan.toString());
    }
}
