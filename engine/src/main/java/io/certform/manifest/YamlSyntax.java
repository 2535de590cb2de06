package io.certform.manifest;

import io.certform.base.LibraryText;
import io.certform.base.SourceRange;
import java.util.List;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * A YAML syntax error in the words of the one who wrote the file: indentation, a tab, a quote never closed, a key
 * without its ':', a list item at the wrong depth; never the parser's tokens ({@code <block end>}). Each names the
 * line to fix (where the caret goes) and quotes the line it is measured against. What is not recognised keeps the
 * parser's own problem and context.
 */
final class YamlSyntax {

    /** What to report: where, the headline, and the detail. */
    record Explained(SourceRange at, String summary, String detail) {
    }

    private static final String PREFIX = "YAML syntax error: ";
    private static final String SPACES = "Indent with spaces, the same number for every key of one block"
            + " (two per level is usual).";

    private final String file;
    private final List<String> lines;

    private YamlSyntax(String file, String text) {
        this.file = file;
        this.lines = text.lines().toList();
    }

    static Explained explain(MarkedYamlEngineException e, String file, String text) {
        return new YamlSyntax(file, text).explain(e);
    }

    private Explained explain(MarkedYamlEngineException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem();
        String context = e.getContext() == null ? "" : e.getContext();
        Mark mark = e.getProblemMark().orElse(null);
        Mark began = e.getContextMark().orElse(null);
        if (mark != null) {
            int line = mark.getLine() + 1;
            if (problem.contains("\\t(TAB)") || problem.contains("\t")) {
                return tab(line);
            }
            if (problem.contains("end of stream") && context.contains("quoted scalar") && began != null) {
                return unclosedQuote(began);
            }
            if (problem.contains("could not find expected ':'") && began != null) {
                return missingColon(began.getLine() + 1);
            }
            if (problem.contains("mapping values are not allowed here")) {
                return mappingValueHere(line);
            }
            if (problem.contains("that cannot start any token")) {
                return reserved(line, mark.getColumn());
            }
            if (problem.startsWith("expected <block end>")) {
                Explained inLine = afterValue(line, mark.getColumn());
                return inLine != null ? inLine : blockEnd(line, problem);
            }
            if (began != null && (problem.startsWith("expected ',' or '}'") || problem.startsWith("expected ',' or ']'"))) {
                Explained unclosed = unclosedFlow(began, problem.charAt(problem.indexOf(" or '") + 5));
                if (unclosed != null) {
                    return unclosed;
                }
            }
        }
        SourceRange at = mark == null ? SourceRange.ofFile(file)
                : new SourceRange(file, mark.getLine() + 1, mark.getColumn() + 1);
        return new Explained(at, PREFIX + LibraryText.clause(problem, "the file is not YAML"), context(e, at));
    }

    /** snakeyaml's context as a sentence, with where it began when that is not where the parser stopped. */
    private String context(MarkedYamlEngineException e, SourceRange at) {
        String context = LibraryText.clause(e.getContext(), "");
        if (context.isEmpty()) {
            return "";
        }
        String began = e.getContextMark()
                .map(m -> new SourceRange(file, m.getLine() + 1, m.getColumn() + 1))
                .filter(start -> !start.equals(at))
                .map(start -> " that began at " + start)
                .orElse("");
        return LibraryText.sentence(context + began);
    }

    private Explained tab(int line) {
        String text = text(line);
        int tab = text.indexOf('\t');
        return new Explained(new SourceRange(file, line, tab < 0 ? 1 : tab + 1),
                PREFIX + "a tab in the indentation of line " + line,
                "YAML does not accept tabs for indentation. Replace the tab with spaces. " + SPACES);
    }

    private Explained unclosedQuote(Mark began) {
        int line = began.getLine() + 1;
        String quote = text(line).length() > began.getColumn() ? String.valueOf(text(line).charAt(began.getColumn()))
                : "quote";
        return new Explained(new SourceRange(file, line, began.getColumn() + 1),
                PREFIX + "the " + quote + " opened on line " + line + " is never closed",
                "Everything after it, to the end of the file, was read as one value. Close the value with " + quote
                        + " on the same line.");
    }

    private Explained missingColon(int line) {
        String content = text(line).strip();
        int space = content.indexOf(' ');
        String key = space < 0 ? content : content.substring(0, space);
        String value = space < 0 ? "" : content.substring(space).strip();
        return new Explained(new SourceRange(file, line, indent(line) + 1),
                PREFIX + "line " + line + " has no ':' after its key '" + key + "'",
                "A key is followed by ':', then its value or, on the next lines, an indented block: write '" + key
                        + ":" + (value.isEmpty() ? "" : " " + value) + "'.");
    }

    /**
     * A ':' where a value was being read: either the line above has no ':' (so this line was read as more of its
     * value), or this line is indented deeper than the key above it, whose value is already given.
     */
    private Explained mappingValueHere(int line) {
        int above = previousLine(line);
        if (above > 0 && !text(above).contains(":") && !text(above).strip().startsWith("-")) {
            return missingColon(above);
        }
        if (above > 0 && indent(line) > keyColumn(above)) {
            return new Explained(new SourceRange(file, line, indent(line) + 1),
                    PREFIX + "bad indentation: line " + line + " is indented deeper than line " + above
                            + ", whose value is already given",
                    "Line " + above + " ('" + text(above).strip() + "') starts its key in column "
                            + (keyColumn(above) + 1) + ", this line in column " + (indent(line) + 1)
                            + ": a key of the same block starts in the same column. " + SPACES);
        }
        return new Explained(new SourceRange(file, line, indent(line) + 1),
                PREFIX + "bad indentation or a missing ':' near line " + line,
                "A ':' here cannot start a value. Check that each key on the lines above has its ':' and that keys of"
                        + " one block start in the same column. " + SPACES);
    }

    /**
     * A flow mapping {@code {} or list {@code [} whose line has no closing bracket: the parser read the next lines as
     * more of it and stopped there; the line to fix is the one that opened it. Null when the bracket is closed on its
     * line (the mistake is then inside it, and the parser's words are kept).
     */
    private Explained unclosedFlow(Mark began, char close) {
        int line = began.getLine() + 1;
        String text = text(line);
        int open = began.getColumn();
        char opener = close == '}' ? '{' : '[';
        if (open >= text.length() || text.charAt(open) != opener || text.indexOf(close, open) >= 0) {
            return null;
        }
        String what = close == '}' ? "mapping" : "list";
        return new Explained(new SourceRange(file, line, open + 1),
                PREFIX + "the '" + opener + "' opened on line " + line + " is never closed",
                "The lines after it were read as more of the " + what + ". Close it with '" + close
                        + "' at the end of line " + line + ", or write the " + what + " as an indented block instead.");
    }

    /**
     * The line that opens the block {@code line} is in: the nearest line above whose key starts left of
     * {@code line}'s indentation; 0 when there is none.
     */
    private int enclosingBlock(int line) {
        int indent = indent(line);
        for (int l = previousLine(line); l > 0; l = previousLine(l)) {
            if (keyColumn(l) < indent) {
                return l;
            }
        }
        return 0;
    }

    /** A plain value that starts with a character YAML keeps for itself ('@', '`'). */
    private Explained reserved(int line, int column) {
        String text = text(line);
        String c = column < text.length() ? String.valueOf(text.charAt(column)) : "?";
        return new Explained(new SourceRange(file, line, column + 1),
                PREFIX + "a value on line " + line + " starts with '" + c + "', which YAML reserves",
                "A value written without quotes cannot start with '@' or '`': put the whole value in quotes ('...'),"
                        + " or remove the character.");
    }

    /**
     * The parser stopped inside a line rather than at its start: the line's indentation is not the problem, what
     * follows its value is (a bracket that closes nothing, text after a quoted value). Null when it stopped at the
     * line's start.
     */
    private Explained afterValue(int line, int column) {
        String text = text(line);
        if (column <= indent(line) || column >= text.length()) {
            return null;
        }
        char c = text.charAt(column);
        SourceRange at = new SourceRange(file, line, column + 1);
        if (c == '}' || c == ']') {
            char opener = c == '}' ? '{' : '[';
            return new Explained(at, PREFIX + "a '" + c + "' on line " + line + " that closes nothing",
                    "Every '" + c + "' closes a '" + opener + "' opened before it, and none is left open here:"
                            + " remove this one.");
        }
        String before = text.substring(0, column).stripTrailing();
        if (before.endsWith("\"") || before.endsWith("'")) {
            return new Explained(at, PREFIX + "more after the quoted value on line " + line,
                    "A quoted value ends at its closing quote: put the whole value inside the quotes, or move what"
                            + " follows them to a line of its own.");
        }
        return new Explained(at, PREFIX + "more after the value on line " + line,
                "A line holds one key and its value: put the whole value in quotes, or move what follows it to a"
                        + " line of its own.");
    }

    /** A line that ends a block without lining up with any block around it. */
    private Explained blockEnd(int line, String problem) {
        int column = indent(line) + 1;
        boolean item = problem.endsWith("'-'") || problem.contains("<block sequence start>");
        if (item) {
            int list = previousItem(line);
            String where = list > 0 ? " The items above start in column " + (indent(list) + 1) + " (line " + list
                    + ": '" + text(list).strip() + "'), this one in column " + column + "." : "";
            return new Explained(new SourceRange(file, line, column),
                    PREFIX + "a list item at the wrong depth on line " + line,
                    "Items of one list start with '-' in the same column." + where + " " + SPACES);
        }
        int above = previousLine(line);
        String against = above > 0 ? " Line " + above + " ('" + text(above).strip() + "') starts its key in column "
                + (keyColumn(above) + 1) + ", this line in column " + column + "." : "";
        int owner = enclosingBlock(line);
        String block = owner == 0 ? "" : " The line is in the block of line " + owner + " ('" + text(owner).strip()
                + "').";
        return new Explained(new SourceRange(file, line, column),
                PREFIX + "bad indentation on line " + line + ": it does not line up with the keys above it",
                "Keys of one block start in the same column." + against + block + " " + SPACES);
    }

    private String text(int line) {
        return line >= 1 && line <= lines.size() ? lines.get(line - 1) : "";
    }

    /** Spaces before the first character of {@code line}. */
    private int indent(int line) {
        String text = text(line);
        int i = 0;
        while (i < text.length() && text.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    /** Where the key of {@code line} starts: after its indentation and any list item's "- ". */
    private int keyColumn(int line) {
        String text = text(line);
        int i = indent(line);
        while (i + 1 < text.length() && text.charAt(i) == '-' && text.charAt(i + 1) == ' ') {
            i += 2;
            while (i < text.length() && text.charAt(i) == ' ') {
                i++;
            }
        }
        return i;
    }

    /** The nearest line above {@code line} with content (not blank, not a comment), or 0. */
    private int previousLine(int line) {
        for (int l = line - 1; l >= 1; l--) {
            String t = text(l).strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                return l;
            }
        }
        return 0;
    }

    /** The nearest list item above {@code line}, or 0. */
    private int previousItem(int line) {
        for (int l = line - 1; l >= 1; l--) {
            if (text(l).strip().startsWith("- ") || text(l).strip().equals("-")) {
                return l;
            }
        }
        return 0;
    }
}
