package io.certform.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * picocli's help, wrapped at spaces only. picocli breaks lines where {@link java.text.BreakIterator} allows, which
 * includes after a dot followed by a letter: "a .gitignore" came out as "a ." and "gitignore", "certform.yaml" as
 * "certform." and "yaml". Here a line breaks between words, and a word longer than the column is cut as before.
 */
final class WordWrappingHelp extends Help {

    /** The factory that {@link Main} installs on every command. */
    static final CommandLine.IHelpFactory FACTORY = WordWrappingHelp::new;

    WordWrappingHelp(CommandSpec spec, ColorScheme colorScheme) {
        super(spec, colorScheme);
    }

    @Override
    public Layout createDefaultLayout(List<OptionSpec> options, List<PositionalParamSpec> positionals,
                                      ColorScheme scheme) {
        Layout layout = super.createDefaultLayout(options, positionals, scheme);
        return new Layout(scheme, new WordTable(scheme, layout.textTable().columns(), 2), layout.optionRenderer(),
                layout.parameterRenderer());
    }

    @Override
    public String description(Object... params) {
        return lines(commandSpec().usageMessage().description(), params);
    }

    @Override
    public String header(Object... params) {
        return lines(commandSpec().usageMessage().header(), params);
    }

    @Override
    public String footer(Object... params) {
        return lines(commandSpec().usageMessage().footer(), params);
    }

    /** As picocli's {@code commandList}: each command's name and the first line of its description. */
    @Override
    public String commandList(Map<String, Help> subcommands) {
        if (subcommands.isEmpty()) {
            return "";
        }
        int width = commandSpec().usageMessage().width();
        int nameWidth = Math.min(subcommands.keySet().stream().mapToInt(String::length).max().orElse(0), width / 2);
        WordTable table = new WordTable(colorScheme(), new Column[] {
            new Column(nameWidth + 2, 2, Column.Overflow.SPAN),
            new Column(width - (nameWidth + 2), 2, Column.Overflow.WRAP)}, 2);
        for (Map.Entry<String, Help> entry : subcommands.entrySet()) {
            CommandLine.Model.UsageMessageSpec usage = entry.getValue().commandSpec().usageMessage();
            String first = usage.header().length > 0 ? usage.header()[0]
                    : usage.description().length > 0 ? usage.description()[0] : "";
            Ansi.Text[] lines = colorScheme().text(format(first)).splitLines();
            for (int i = 0; i < lines.length; i++) {
                table.addRowValues(i == 0 ? entry.getValue().commandNamesText(", ") : colorScheme().text(""), lines[i]);
            }
        }
        return table.toString();
    }

    /** Paragraphs over the whole width, as picocli's description and footer. */
    private String lines(String[] values, Object... params) {
        if (values == null || values.length == 0) {
            return "";
        }
        WordTable table = new WordTable(colorScheme(), new Column[] {
            new Column(commandSpec().usageMessage().width(), 0, Column.Overflow.WRAP)}, 0);
        for (String value : values) {
            table.addRowValues(format(value, params));
        }
        return table.toString();
    }

    private static String format(String text, Object... params) {
        try {
            return text == null ? "" : String.format(text, params);
        } catch (java.util.IllegalFormatException e) {
            return text;
        }
    }

    /** A table whose wrapping columns break lines at spaces only. */
    static final class WordTable extends TextTable {
        private final ColorScheme scheme;

        WordTable(ColorScheme scheme, Column[] columns, int indentWrapped) {
            super(scheme, columns);
            this.scheme = scheme;
            this.indentWrappedLines = indentWrapped;
        }

        @Override
        public Cell putValue(int row, int col, Ansi.Text value) {
            Column column = columns()[col];
            if (column.overflow != Column.Overflow.WRAP || value == null || value.plainString().isEmpty()) {
                return super.putValue(row, col, value);
            }
            String plain = value.plainString();
            int at = row;
            int start = 0;
            boolean first = true;
            while (start < plain.length()) {
                int indent = first ? column.indent : column.indent + indentWrappedLines;
                int end = lineEnd(plain, start, column.width - indent);
                Ansi.Text piece = value.substring(start, end);
                if (!first) {
                    addEmptyRow();
                    at++;
                    piece = scheme.ansi().new Text(" ".repeat(indentWrappedLines), scheme).concat(piece);
                }
                at = super.putValue(at, col, piece).row;
                start = end;
                while (start < plain.length() && plain.charAt(start) == ' ') {
                    start++;
                }
                first = false;
            }
            return new Cell(col, at);
        }

        /**
         * Where the line that starts at {@code start} ends: after the last word that fits in {@code room} with
         * the space that follows it (as picocli counts), or, for a single word longer than that, at {@code room}.
         */
        static int lineEnd(String text, int start, int room) {
            if (text.length() - start <= room) {
                return text.length();
            }
            int end = -1;
            for (int space = text.indexOf(' ', start); space >= 0 && space - start + 1 <= room;
                 space = text.indexOf(' ', space + 1)) {
                end = space;
            }
            if (end <= start) {
                return start + Math.max(1, room);
            }
            return end;
        }
    }
}
