package io.certform.manifest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * The canonical layout of a manifest, as {@code certform fmt} writes it. A conservative, line-based normaliser: it
 * only changes whitespace, and so never drops or moves a comment or a key:
 * <ul>
 *   <li>nesting is indented by two spaces a level (a list under a key too), {@code -} followed by one space;</li>
 *   <li>comment lines take the indentation of the level they sit at;</li>
 *   <li>no trailing spaces, Unix line ends, no blank lines at the start, exactly one newline at the end;</li>
 *   <li>the content of block scalars ({@code |}, {@code >}) moves with its key and is otherwise untouched.</li>
 * </ul>
 * The result is checked: it must load to the same data as the input, or the file is left as it is.
 */
public final class ManifestFormatter {

    /** The outcome: the formatted text, or why the file cannot be formatted (then {@code text} is null). */
    public record Result(String text, String problem) {
        public boolean changed(String original) {
            return text != null && !text.equals(original);
        }
    }

    private static final Pattern BLOCK_SCALAR = Pattern.compile(".*(:|^-|\\s-)\\s+[|>][0-9+-]*\\s*(#.*)?$");

    /** A nesting level: its column in the input, its column in the output; a list at its parent key's column. */
    private record Level(int from, int to, boolean dashes) {
    }

    private ManifestFormatter() {
    }

    public static Result format(String original) {
        Object before;
        try {
            before = load(original);
        } catch (YamlEngineException e) {
            return new Result(null, "it is not valid YAML (" + firstLine(e.getMessage()) + "); 'certform validate'"
                    + " shows where");
        }
        String text = layout(original);
        Object after;
        try {
            after = load(text);
        } catch (YamlEngineException e) {
            return new Result(null, "its layout is too unusual to normalise safely; it is left as it is");
        }
        if (!Objects.equals(before, after)) {
            return new Result(null, "its layout is too unusual to normalise safely; it is left as it is");
        }
        return new Result(text, null);
    }

    private static String layout(String original) {
        String[] lines = original.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        List<String> out = new ArrayList<>();
        Deque<Level> levels = new ArrayDeque<>();
        boolean opensBlock = false; // the previous content line ends with ':' and so may open a list at its column
        int blockParent = -1;       // input column of a block scalar's key while in its content, else -1
        int blockShift = 0;
        List<String> pending = new ArrayList<>(); // comment and blank lines, placed with the next content line
        for (String raw : lines) {
            String line = stripTrailing(raw);
            int indent = indentOf(line);
            if (blockParent >= 0) {
                if (line.isEmpty()) {
                    out.add("");
                    continue;
                }
                if (indent > blockParent) {
                    out.add(shift(raw, blockShift));
                    continue;
                }
                blockParent = -1;
            }
            if (line.isEmpty()) {
                pending.add("");
                continue;
            }
            String content = line.substring(indent);
            if (content.startsWith("#")) {
                pending.add(line);
                continue;
            }
            if (content.equals("---") || content.equals("...") || content.startsWith("%")) {
                flush(pending, out, levels, -1, 0);
                out.add(content);
                levels.clear();
                opensBlock = false;
                continue;
            }
            boolean dash = isDash(content);
            while (!levels.isEmpty() && (levels.peek().from() > indent
                    || levels.peek().from() == indent && levels.peek().dashes() && !dash)) {
                levels.pop();
            }
            int column;
            if (levels.isEmpty()) {
                column = 0;
                levels.push(new Level(indent, 0, false));
            } else if (levels.peek().from() == indent) {
                if (dash && opensBlock && !levels.peek().dashes()) {
                    column = levels.peek().to() + 2; // a list at its key's column moves under the key
                    levels.push(new Level(indent, column, true));
                } else {
                    column = levels.peek().to();
                }
            } else {
                column = levels.peek().to() + 2;
                levels.push(new Level(indent, column, false));
            }
            flush(pending, out, levels, indent, column);
            StringBuilder text = new StringBuilder(" ".repeat(column));
            int from = indent;
            int to = column;
            while (isDash(content)) {
                int spaces = 1;
                while (spaces < content.length() && content.charAt(spaces) == ' ') {
                    spaces++;
                }
                text.append(content.length() == 1 ? "-" : "- ");
                content = content.substring(Math.min(spaces, content.length()));
                from += spaces;
                to += 2;
                if (!content.isEmpty()) {
                    levels.push(new Level(from, to, false));
                }
            }
            text.append(content);
            out.add(text.toString());
            opensBlock = content.endsWith(":") || content.matches(".*:\\s+#.*");
            if (BLOCK_SCALAR.matcher(line).matches()) {
                blockParent = from;
                blockShift = to - from;
            }
        }
        flush(pending, out, levels, -1, 0);
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        while (!out.isEmpty() && out.get(0).isEmpty()) {
            out.remove(0);
        }
        return out.isEmpty() ? "" : String.join("\n", out) + "\n";
    }

    private static boolean isDash(String content) {
        return content.equals("-") || content.startsWith("- ");
    }

    /**
     * Places the comment lines before a content line: a comment at that line's input column takes its output
     * column; another keeps its place relative to the levels open ({@code next} is -1 at the end of a document).
     */
    private static void flush(List<String> pending, List<String> out, Deque<Level> levels, int next, int column) {
        for (String line : pending) {
            if (line.isEmpty()) {
                out.add("");
                continue;
            }
            int indent = indentOf(line);
            int at = indent == next ? column : commentColumn(levels, indent);
            out.add(" ".repeat(at) + line.substring(indent));
        }
        pending.clear();
    }

    /** A comment sits at the level whose input column it shares, else at the nearest enclosing level's column. */
    private static int commentColumn(Deque<Level> levels, int indent) {
        for (Level level : levels) {
            if (level.from() == indent) {
                return level.to();
            }
            if (level.from() < indent) {
                return Math.max(0, indent + level.to() - level.from());
            }
        }
        return indent == 0 ? 0 : indent;
    }

    private static String shift(String raw, int by) {
        String line = raw.replace("\r", "");
        if (by >= 0) {
            return " ".repeat(by) + line;
        }
        int remove = Math.min(-by, indentOf(line));
        return line.substring(remove);
    }

    private static int indentOf(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static String stripTrailing(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
            end--;
        }
        return line.substring(0, end);
    }

    private static Object load(String text) {
        LoadSettings settings = LoadSettings.builder().setMaxAliasesForCollections(50).setAllowRecursiveKeys(false)
                .build();
        // the loader composes nesting by recursion: bounded first, by the parser's events, as validate bounds it
        int depth = 0;
        for (org.snakeyaml.engine.v2.events.Event e : new org.snakeyaml.engine.v2.api.lowlevel.Parse(settings)
                .parseString(text)) {
            org.snakeyaml.engine.v2.events.Event.ID id = e.getEventId();
            if (id == org.snakeyaml.engine.v2.events.Event.ID.MappingStart
                    || id == org.snakeyaml.engine.v2.events.Event.ID.SequenceStart) {
                if (++depth > YamlComposer.MAX_DEPTH) {
                    throw new YamlEngineException("collections nested more than " + YamlComposer.MAX_DEPTH
                            + " levels deep");
                }
            } else if (id == org.snakeyaml.engine.v2.events.Event.ID.MappingEnd
                    || id == org.snakeyaml.engine.v2.events.Event.ID.SequenceEnd) {
                depth--;
            }
        }
        List<Object> documents = new ArrayList<>();
        new Load(settings).loadAllFromString(text).forEach(documents::add);
        return documents;
    }

    private static String firstLine(String message) {
        String m = String.valueOf(message);
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
