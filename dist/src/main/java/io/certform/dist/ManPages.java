package io.certform.dist;

import io.certform.cli.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Writes a manual page (troff, section 1) per command from the command model, as {@code certform COMMAND --help}
 * describes it: {@code certform.1}, {@code certform-plan.1}, {@code certform-state-list.1}, ...
 * Usage: {@code ManPages DIR}.
 */
public final class ManPages {

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        List<String> written = new ArrayList<>();
        write(Main.model(), dir, written);
        System.out.println("man pages: " + written.size() + " in " + dir);
    }

    private static void write(CommandLine cli, Path dir, List<String> written) throws IOException {
        CommandSpec spec = cli.getCommandSpec();
        if (spec.usageMessage().hidden()) {
            return;
        }
        String page = spec.qualifiedName("-");
        Files.writeString(dir.resolve(page + ".1"), page(cli, page), StandardCharsets.UTF_8);
        written.add(page);
        for (CommandLine sub : cli.getSubcommands().values()) {
            write(sub, dir, written);
        }
    }

    static String page(CommandLine cli, String page) {
        CommandSpec spec = cli.getCommandSpec();
        StringBuilder out = new StringBuilder();
        out.append(".TH ").append(page.toUpperCase(java.util.Locale.ROOT)).append(" 1 \"\" \"certform ")
                .append(escape(String.join(" ", spec.root().version()))).append("\" \"certform manual\"\n");
        out.append(".SH NAME\n").append(escape(page)).append(" \\- ")
                .append(escape(first(spec.usageMessage().description()))).append('\n');
        out.append(".SH SYNOPSIS\n.B ").append(escape(spec.qualifiedName())).append('\n');
        StringBuilder synopsis = new StringBuilder();
        if (!spec.subcommands().isEmpty()) {
            synopsis.append("COMMAND ");
        }
        if (!visibleOptions(spec).isEmpty()) {
            synopsis.append("[OPTIONS] ");
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (!p.hidden()) {
                synopsis.append('[').append(p.paramLabel()).append("] ");
            }
        }
        if (synopsis.length() > 0) {
            out.append(escape(synopsis.toString().strip())).append('\n');
        }
        out.append(".SH DESCRIPTION\n");
        for (String paragraph : spec.usageMessage().description()) {
            out.append(escape(paragraph)).append("\n.PP\n");
        }
        if (!spec.subcommands().isEmpty()) {
            out.append(".SH COMMANDS\n");
            for (CommandLine sub : cli.getSubcommands().values()) {
                CommandSpec s = sub.getCommandSpec();
                if (!s.usageMessage().hidden()) {
                    out.append(".TP\n.B ").append(escape(s.name())).append('\n')
                            .append(escape(first(s.usageMessage().description()))).append(" See ")
                            .append(escape(s.qualifiedName("-"))).append("(1).\n");
                }
            }
        }
        if (!spec.positionalParameters().isEmpty()) {
            out.append(".SH ARGUMENTS\n");
            for (PositionalParamSpec p : spec.positionalParameters()) {
                if (!p.hidden()) {
                    out.append(".TP\n.I ").append(escape(p.paramLabel())).append('\n')
                            .append(escape(String.join(" ", p.description()))).append('\n');
                }
            }
        }
        List<OptionSpec> options = visibleOptions(spec);
        if (!options.isEmpty()) {
            out.append(".SH OPTIONS\n");
            for (OptionSpec o : options) {
                out.append(".TP\n\\fB").append(escape(String.join(", ", o.names()))).append("\\fR");
                if (o.arity().max() > 0 && !o.paramLabel().isEmpty()) {
                    out.append(" \\fI").append(escape(o.paramLabel())).append("\\fR");
                }
                String description = String.join(" ", o.description())
                        .replace("${DEFAULT-VALUE}", String.valueOf(o.defaultValue()));
                out.append('\n').append(escape(description)).append('\n');
            }
        }
        String[] footer = spec.usageMessage().footer();
        if (footer.length > 0 && !String.join("", footer).isBlank()) {
            out.append(".SH NOTES\n");
            for (String line : footer) {
                if (!line.isBlank()) {
                    out.append(escape(line)).append("\n.PP\n");
                }
            }
        }
        out.append(".SH SEE ALSO\n").append(page.equals("certform") ? "" : "certform(1), ")
                .append("README.md and docs/ in the distribution: docs/cli.md, docs/manifest.md, docs/ci.md\n");
        return out.toString();
    }

    private static List<OptionSpec> visibleOptions(CommandSpec spec) {
        return spec.options().stream().filter(o -> !o.hidden()).toList();
    }

    private static String first(String[] lines) {
        return lines.length == 0 ? "" : lines[0];
    }

    /** Text for troff: backslashes doubled, '-' as \-, and no line starting with '.' or '\''. */
    static String escape(String text) {
        String s = text.replace("\\", "\\e").replace("-", "\\-");
        StringBuilder out = new StringBuilder();
        for (String line : s.split("\n", -1)) {
            if (out.length() > 0) {
                out.append('\n');
            }
            if (line.startsWith(".") || line.startsWith("'")) {
                out.append("\\&");
            }
            out.append(line);
        }
        return out.toString();
    }

    private ManPages() {
    }
}
