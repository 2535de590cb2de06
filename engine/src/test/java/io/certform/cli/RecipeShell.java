package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Runs the shell lines of a documented recipe (docs/ci.md, or a block the docs mark runnable) as a CI runner would,
 * in one job's checkout: certform
 * in-process (its relative paths taken from the checkout, as a process started there would), {@code && || [ $? -eq
 * 2 ] > mv cd export} as the shell does them, the pull-request comment commands recorded, the installation lines
 * skipped. Any other command fails the test: a recipe that grows a step must teach it here.
 */
final class RecipeShell {

    /** What every job of a run shares: the comments posted, and what certform printed, for failure messages. */
    static final class Run {
        final List<String> comments = new ArrayList<>();
        final StringBuilder log = new StringBuilder();
        /** The pull request the run is of (GitHub: what {@code gh api .../commits/SHA/pulls} answers). */
        String pullRequest;
    }

    /** The lines that install certform from its release tarball: the test runs the certform under test instead. */
    private static final List<Pattern> INSTALL = List.of(
            Pattern.compile("mkdir -p \"?(\\$RUNNER_TEMP)?/[\\w/$]*certform\"?"),
            Pattern.compile("curl -fsSL \"\\$CERTFORM_URL/certform-\\$CERTFORM_VERSION-linux-x86_64\\.tar\\.gz\"\\s*"
                    + "\\| tar -xz -C \"?[\\w/$]*certform\"? --strip-components=1"),
            Pattern.compile("echo \"\\$RUNNER_TEMP/certform/bin\" >> \"\\$GITHUB_PATH\""),
            Pattern.compile("apt-get update -qq && apt-get install -y -qq curl ca-certificates >/dev/null"),
            Pattern.compile("export PATH=\"/opt/certform/bin:\\$PATH\""));
    private static final Pattern EXPORT_FILE = Pattern.compile("export (\\w+)=\"\\$\\(cat \"\\$(\\w+)\"\\)\"");

    private Path cwd;
    private final Map<String, String> env;
    private final Run run;
    private String stdin = "";
    private int status;

    RecipeShell(Path cwd, Map<String, String> env, Run run) {
        this.cwd = cwd;
        this.env = new HashMap<>(env);
        this.run = run;
    }

    /** What certform reads on standard input (a CI job has none: the default). */
    RecipeShell answering(String input) {
        this.stdin = input;
        return this;
    }

    /** The logical lines of a script: comments and blank lines dropped, backslash continuations joined. */
    static List<String> lines(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String raw : script.split("\n")) {
            String line = raw.strip();
            if (line.endsWith("\\")) {
                pending.append(line.substring(0, line.length() - 1).stripTrailing()).append(" ");
                continue;
            }
            String full = pending.append(line).toString().strip();
            pending.setLength(0);
            if (!full.isEmpty() && !full.startsWith("#")) {
                out.add(full);
            }
        }
        return out;
    }

    /** Runs a script as {@code sh -e} does: line by line, stopping at the first that fails; its status. */
    int script(String script) throws IOException {
        for (String line : lines(script)) {
            int code = line(line);
            if (code != 0) {
                run.log.append("[").append(cwd.getFileName()).append("] exit ").append(code).append(": ").append(line)
                        .append('\n');
                return code;
            }
        }
        return 0;
    }

    /** One logical line; its exit status. */
    int line(String line) throws IOException {
        for (Pattern p : INSTALL) {
            if (p.matcher(line).matches()) {
                return 0;
            }
        }
        Matcher export = EXPORT_FILE.matcher(line);
        if (export.matches()) {
            env.put(export.group(1), Files.readString(Path.of(required(export.group(2)))).strip());
            return 0;
        }
        List<List<String>> commands = new ArrayList<>();
        List<String> operators = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String word : words(line)) {
            if (word.equals("&&") || word.equals("||")) {
                commands.add(current);
                operators.add(word);
                current = new ArrayList<>();
            } else if (word.equals("|") || word.equals(";")) {
                throw new AssertionError("the recipe's line uses '" + word + "', which this test does not run: "
                        + line);
            } else {
                current.add(word);
            }
        }
        commands.add(current);
        status = command(commands.get(0));
        for (int i = 1; i < commands.size(); i++) {
            boolean runIt = operators.get(i - 1).equals("&&") ? status == 0 : status != 0;
            if (runIt) {
                status = command(commands.get(i));
            }
        }
        return status;
    }

    private int command(List<String> raw) throws IOException {
        List<String> words = new ArrayList<>();
        Path redirect = null;
        boolean append = false;
        for (int i = 0; i < raw.size(); i++) {
            if (raw.get(i).equals(">") || raw.get(i).equals(">>")) {
                append = raw.get(i).equals(">>");
                redirect = cwd.resolve(raw.get(++i));
            } else {
                words.add(raw.get(i));
            }
        }
        String name = words.get(0).equals("bin/certform") || words.get(0).endsWith("/bin/certform") ? "certform"
                : words.get(0);
        switch (name) {
            case "certform" -> {
                CliRun result = CliRun.run(env, stdin, certformArgs(words.subList(1, words.size())));
                run.log.append("[").append(cwd.getFileName()).append("] $ ").append(String.join(" ", words))
                        .append(redirect != null ? " > " + cwd.relativize(redirect) : "").append('\n')
                        .append(result.err());
                if (redirect != null) {
                    Files.createDirectories(redirect.getParent());
                    Files.writeString(redirect, result.out());
                } else {
                    run.log.append(result.out());
                }
                return result.exitCode();
            }
            case "[" -> {
                if (words.size() == 5 && words.get(2).equals("-eq") && words.get(4).equals("]")) {
                    String left = words.get(1).equals("$?") ? Integer.toString(status) : words.get(1);
                    return left.equals(words.get(3)) ? 0 : 1;
                }
                throw new AssertionError("a test this shell does not know: " + words);
            }
            case "cd" -> {
                cwd = cwd.resolve(words.get(1)).normalize();
                return Files.isDirectory(cwd) ? 0 : 1;
            }
            case "mv" -> {
                Files.move(cwd.resolve(words.get(1)), cwd.resolve(words.get(2)), StandardCopyOption.REPLACE_EXISTING);
                return 0;
            }
            case "gh" -> {
                // gh api repos/OWNER/REPO/commits/SHA/pulls --jq '"KEY=\(.[0].number // error(...))"': the run's pull
                // request, as KEY=NUMBER, appended to the redirect (GitHub's step outputs)
                if (words.size() == 4 && words.get(1).equals("api") && words.get(2).matches("repos/[\\w.-]+/[\\w.-]+"
                        + "/commits/[\\w.-]+/pulls") && words.get(3).startsWith("--jq")) {
                    throw new AssertionError("gh api --jq takes its filter as the next word: " + words);
                }
                if (words.size() == 5 && words.get(1).equals("api")
                        && words.get(2).matches("repos/[\\w.-]+/[\\w.-]+/commits/[\\w.-]+/pulls")
                        && words.get(3).equals("--jq")) {
                    Matcher jq = Pattern.compile("\"(\\w+)=\\\\\\(\\.\\[0]\\.number // error\\(\"[^\"]+\"\\)\\)\"")
                            .matcher(words.get(4));
                    if (!jq.matches() || run.pullRequest == null || redirect == null) {
                        throw new AssertionError("a gh api call this test does not know: " + words);
                    }
                    String line = jq.group(1) + "=" + run.pullRequest + "\n";
                    if (append) {
                        Files.writeString(redirect, line, java.nio.file.StandardOpenOption.CREATE,
                                java.nio.file.StandardOpenOption.APPEND);
                    } else {
                        Files.writeString(redirect, line);
                    }
                    return 0;
                }
                // gh pr comment NUMBER [--edit-last] --body-file FILE
                int at = words.indexOf("--body-file");
                if (words.size() < 4 || !words.get(1).equals("pr") || !words.get(2).equals("comment") || at < 0) {
                    throw new AssertionError("a gh command this test does not know: " + words);
                }
                run.comments.add(Files.readString(cwd.resolve(words.get(at + 1))));
                return 0;
            }
            case "curl" -> {
                // the merge request note: curl ... --data-urlencode "body@FILE" URL
                for (String w : words) {
                    if (w.startsWith("body@")) {
                        run.comments.add(Files.readString(cwd.resolve(w.substring("body@".length()))));
                        return 0;
                    }
                }
                throw new AssertionError("a curl command this test does not know: " + words);
            }
            default -> throw new AssertionError("the recipe runs '" + name + "', which this test does not know: "
                    + words);
        }
    }

    /**
     * certform's arguments as a process started in the checkout would read them: its relative paths (the manifest,
     * saved plans, files to format) resolved against the checkout, the default manifest being the checkout's.
     */
    private String[] certformArgs(List<String> args) {
        CommandLine.ParseResult parsed;
        try {
            parsed = Main.model().parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            return args.toArray(String[]::new); // certform reports it, as it would to the job
        }
        while (parsed.hasSubcommand()) {
            parsed = parsed.subcommand();
        }
        List<String> paths = new ArrayList<>();
        for (OptionSpec o : parsed.matchedOptions()) {
            if (o.type() == Path.class || List.of(o.auxiliaryTypes()).contains(Path.class)) { // -o, --apply-log
                paths.addAll(o.originalStringValues());
            }
        }
        boolean positionalFile = false;
        for (PositionalParamSpec p : parsed.matchedPositionals()) {
            if (p.type() == Path.class || List.of(p.auxiliaryTypes()).contains(Path.class)) {
                paths.addAll(p.originalStringValues());
                positionalFile = true;
            }
        }
        List<String> out = new ArrayList<>();
        for (String a : args) {
            out.add(paths.contains(a) && !Path.of(a).isAbsolute() ? cwd.resolve(a).toString() : a);
        }
        String command = parsed.commandSpec().name();
        if (command.equals("fmt") && !positionalFile) {
            out.add(cwd.resolve("certform.yaml").toString());
        } else if (parsed.commandSpec().findOption("--file") != null && !parsed.hasMatchedOption("--file")) {
            out.add("-f");
            out.add(cwd.resolve("certform.yaml").toString());
        }
        return out.toArray(String[]::new);
    }

    private String required(String name) {
        String value = env.get(name);
        if (value == null) {
            throw new AssertionError("the recipe reads $" + name + ", which its job does not set");
        }
        return value;
    }

    /** Shell words: quotes removed, $NAME, ${NAME} and $? expanded (not in single quotes), operators apart. */
    private List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean any = false;
        char quote = 0;
        for (int i = 0; i <= line.length(); i++) {
            char c = i < line.length() ? line.charAt(i) : ' ';
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '$' && i + 1 < line.length()) {
                i = expand(line, i, word) - 1;
                any = true;
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                any = true;
            } else if (Character.isWhitespace(c)) {
                if (any || word.length() > 0) {
                    words.add(word.toString());
                }
                word.setLength(0);
                any = false;
            } else if (c == '&' || c == '|' || c == '>' || c == ';') {
                if (any || word.length() > 0) {
                    words.add(word.toString());
                }
                word.setLength(0);
                any = false;
                boolean doubled = i + 1 < line.length() && line.charAt(i + 1) == c && c != ';';
                words.add(doubled ? "" + c + c : "" + c);
                if (doubled) {
                    i++;
                }
            } else {
                word.append(c);
            }
        }
        if (quote != 0) {
            throw new AssertionError("an unclosed quote in the recipe's line: " + line);
        }
        return words;
    }

    /** Expands the variable at {@code at} (a '$') into {@code word}; returns the index after it. */
    private int expand(String line, int at, StringBuilder word) {
        char next = line.charAt(at + 1);
        if (next == '?') {
            word.append("$?"); // the status when the command runs, not when the line is read
            return at + 2;
        }
        int start = next == '{' ? at + 2 : at + 1;
        int end = start;
        while (end < line.length() && (Character.isLetterOrDigit(line.charAt(end)) || line.charAt(end) == '_')) {
            end++;
        }
        if (end == start) {
            word.append('$');
            return at + 1;
        }
        String value = env.get(line.substring(start, end));
        word.append(value == null ? "" : value);
        return next == '{' ? end + 1 : end;
    }

    // ---- what the recipe tests read: YAML from the doc, GitLab variables, a folder's files

    /** $NAME in a GitLab variable's value, from the project's variables. */
    record Value(Map<String, String> variables) {
        String expand(String value) {
            Matcher m = Pattern.compile("\\$(\\w+)").matcher(value);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String v = variables.get(m.group(1));
                assertTrue(v != null, "the recipe reads $" + m.group(1) + ", which its variables list does not name");
                m.appendReplacement(out, Matcher.quoteReplacement(v));
            }
            m.appendTail(out);
            return out.toString();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(String text) {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }
}
