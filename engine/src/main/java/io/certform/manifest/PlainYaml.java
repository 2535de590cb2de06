package io.certform.manifest;

import static io.certform.manifest.YamlChars.BLOCK;
import static io.certform.manifest.YamlChars.FLOW;
import static io.certform.manifest.YamlChars.KEY;
import static io.certform.manifest.YamlChars.START;
import static io.certform.manifest.YamlChars.is;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;

/**
 * A reader of the shape nearly every manifest has, without snakeyaml: block mappings and lists indented with
 * spaces, one-line {@code { key: value, ... }} and {@code [a, b]}, single-line plain, single- and double-quoted
 * (escape-free) scalars, and comments. It builds the same {@link YamlNode} tree, positions and scalar kinds included,
 * that {@link YamlComposer} builds from snakeyaml's events; a test holds the two to each other on every manifest of
 * the corpus and on thousands of edits of them.
 *
 * <p>It answers only when it is sure: anything else (anchors, tags, block or multi-line scalars, escapes, tabs, a
 * document marker, a key it would have to guess about, any syntax error) makes {@link #read} return null, and the
 * caller reads the text with snakeyaml, which then reports what is wrong as before. Why: a manifest of 10,000
 * bindings is 700 KB of YAML, and snakeyaml's general scanner, run cold in a process that lives a second, cost a
 * third of a plan's CPU; this one loop is compiled after a few lines.
 */
final class PlainYaml {

    /** Not the subset: the caller falls back to snakeyaml. Thrown without a stack trace. */
    private static final class NotPlain extends RuntimeException {
        private static final NotPlain INSTANCE = new NotPlain();

        private NotPlain() {
            super(null, null, false, false);
        }
    }

    private final String text;
    private final int end;
    private final ScalarResolver resolver;
    /** One copy of each key, interned, as {@link YamlComposer} keeps them. */
    private final Map<String, String> keys = new HashMap<>();
    /** The index being read; the 0-based number of its line, and where that line starts. */
    private int p;
    private int line;
    private int lineStart;
    /** The indentation of the current content line; -1 at the end of the text. */
    private int indent;
    private int depth;

    private PlainYaml(String text, ScalarResolver resolver) {
        this.text = text;
        this.end = text.length();
        this.resolver = resolver;
    }

    /**
     * The tree of {@code text}, or null when it is not of the shape this reader knows (then read it with
     * snakeyaml).
     *
     * @param maxCodePoints the size limit snakeyaml is given: a longer text is left to it
     */
    static YamlNode read(String text, ScalarResolver resolver, int maxCodePoints) {
        if (text.length() > maxCodePoints || !YamlChars.printable(text)) {
            return null;
        }
        try {
            return new PlainYaml(text, resolver).document();
        } catch (NotPlain | IndexOutOfBoundsException e) {
            return null;
        }
    }

    private static NotPlain notPlain() {
        return NotPlain.INSTANCE;
    }

    private YamlNode document() {
        toContent();
        if (indent != 0) {
            throw notPlain();
        }
        YamlNode root = blockMapping(0);
        if (indent != -1) {
            throw notPlain();
        }
        return root;
    }

    // ---- lines

    private char at(int i) {
        return i < end ? text.charAt(i) : '\n';
    }

    /** From the start of a line, past blank and comment-only lines, to the first character of the next content. */
    private void toContent() {
        while (true) {
            lineStart = p;
            while (p < end && text.charAt(p) == ' ') {
                p++;
            }
            if (p >= end) {
                indent = -1;
                return;
            }
            char c = text.charAt(p);
            if (c == '\n' || c == '#') {
                skipLine();
                continue;
            }
            indent = p - lineStart;
            if (indent == 0 && (text.startsWith("---", p) || text.startsWith("...", p))) {
                throw notPlain(); // a document marker
            }
            return;
        }
    }

    private void skipLine() {
        int nl = text.indexOf('\n', p);
        if (nl < 0) {
            p = end;
        } else {
            p = nl + 1;
            line++;
        }
    }

    /** The rest of the line holds nothing but spaces and a comment; then on to the next content line. */
    private void endLine() {
        skipSpaces();
        char c = at(p);
        if (c != '\n' && !(c == '#' && text.charAt(p - 1) == ' ')) {
            throw notPlain();
        }
        skipLine();
        toContent();
    }

    private void skipSpaces() {
        while (p < end && text.charAt(p) == ' ') {
            p++;
        }
    }

    private boolean dashAt(int i) {
        return at(i) == '-' && (at(i + 1) == ' ' || at(i + 1) == '\n');
    }

    /** Whether a plain key followed by {@code ": "} (or ':' at the end of the line) starts at {@code i}. */
    private boolean keyAt(int i) {
        if (!is(at(i), START)) {
            return false;
        }
        while (is(at(i), KEY)) {
            i++;
        }
        return at(i) == ':' && (at(i + 1) == ' ' || at(i + 1) == '\n');
    }

    // ---- block nodes

    private void enter() {
        if (++depth > YamlComposer.MAX_DEPTH) {
            throw notPlain();
        }
    }

    /** A block mapping whose first key is at {@code p}, in column {@code col}; returns at the next content line. */
    private YamlNode blockMapping(int col) {
        enter();
        int startLine = line;
        List<YamlNode> children = new ArrayList<>();
        while (true) {
            if (!keyAt(p)) {
                throw notPlain();
            }
            int keyStart = p;
            while (text.charAt(p) != ':') {
                p++;
            }
            if (p - keyStart > 1000) {
                throw notPlain(); // snakeyaml's limit on a simple key
            }
            children.add(scalar(text.substring(keyStart, p), true, true, line, keyStart - lineStart));
            int emptyLine = line;
            int emptyColumn = ++p - lineStart; // just after the ':'
            skipSpaces();
            char c = at(p);
            if (c == '\n' || c == '#') {
                endLine();
                if (indent > col) {
                    children.add(nested());
                } else if (indent == col && dashAt(p)) {
                    children.add(blockSequence(col));
                } else {
                    children.add(scalar("", true, false, emptyLine, emptyColumn));
                }
            } else {
                children.add(inline());
                endLine();
            }
            if (indent < col) {
                break;
            }
            if (indent > col || dashAt(p)) {
                throw notPlain();
            }
        }
        depth--;
        return new YamlNode.Mapping(children.toArray(new YamlNode[0]), startLine + 1, col + 1);
    }

    /** A mapping or list starting a deeper line (the value of a key written on the line before). */
    private YamlNode nested() {
        if (dashAt(p)) {
            return blockSequence(indent);
        }
        return blockMapping(indent);
    }

    /** A block list whose first '-' is at {@code p}, in column {@code col}; returns at the next content line. */
    private YamlNode blockSequence(int col) {
        enter();
        int startLine = line;
        List<YamlNode> items = new ArrayList<>();
        while (true) {
            p++; // the '-'
            skipSpaces();
            char c = at(p);
            if (c == '\n' || c == '#' || dashAt(p)) {
                throw notPlain(); // an item on the lines below, or a list in a list
            }
            if (keyAt(p)) {
                items.add(blockMapping(p - lineStart));
            } else {
                items.add(inline());
                endLine();
            }
            if (indent < col) {
                break;
            }
            if (indent > col) {
                throw notPlain();
            }
            if (!dashAt(p)) {
                break; // a key of the mapping this list is the value of, at the same indentation
            }
        }
        depth--;
        return new YamlNode.Sequence(items.toArray(new YamlNode[0]), startLine + 1, col + 1);
    }

    /** A value that fits on the line: a flow mapping or list, a quoted or a plain scalar. */
    private YamlNode inline() {
        char c = at(p);
        return switch (c) {
            case '{' -> flowMapping();
            case '[' -> flowSequence();
            case '"', '\'' -> quoted(c);
            default -> plain(BLOCK);
        };
    }

    // ---- flow nodes, on one line

    private YamlNode flowMapping() {
        enter();
        int column = p - lineStart;
        List<YamlNode> children = new ArrayList<>();
        p++;
        skipSpaces();
        if (at(p) != '}') {
            while (true) {
                int keyStart = p;
                if (!is(at(p), START)) {
                    throw notPlain();
                }
                while (is(at(p), KEY)) {
                    p++;
                }
                if (at(p) != ':' || at(p + 1) != ' ' || p - keyStart > 1000) {
                    throw notPlain(); // snakeyaml forgets a simple key this long, in flow context too
                }
                children.add(scalar(text.substring(keyStart, p), true, true, line, keyStart - lineStart));
                p += 2;
                skipSpaces();
                children.add(flowValue());
                if (!flowNext('}')) {
                    break;
                }
            }
        } else {
            p++;
        }
        depth--;
        return new YamlNode.Mapping(children.toArray(new YamlNode[0]), line + 1, column + 1);
    }

    private YamlNode flowSequence() {
        enter();
        int column = p - lineStart;
        List<YamlNode> items = new ArrayList<>();
        p++;
        skipSpaces();
        if (at(p) != ']') {
            do {
                items.add(flowValue());
            } while (flowNext(']'));
        } else {
            p++;
        }
        depth--;
        return new YamlNode.Sequence(items.toArray(new YamlNode[0]), line + 1, column + 1);
    }

    private YamlNode flowValue() {
        char c = at(p);
        return c == '"' || c == '\'' ? quoted(c) : plain(FLOW);
    }

    /** After an entry: true at a ',' followed by another entry, false past the closing bracket. */
    private boolean flowNext(char close) {
        skipSpaces();
        char c = at(p);
        if (c == close) {
            p++;
            return false;
        }
        if (c != ',') {
            throw notPlain();
        }
        p++;
        skipSpaces();
        if (at(p) == close || at(p) == ',') {
            throw notPlain();
        }
        return true;
    }

    // ---- scalars

    /**
     * A plain scalar on one line: in block context up to a comment or the end of the line, in flow context up to
     * ',' or a bracket. A ':' that would make it a key, and a character outside the class, leave the subset.
     */
    private YamlNode plain(int kind) {
        int start = p;
        if (!is(at(p), START)) {
            throw notPlain();
        }
        while (true) {
            char c = at(p);
            if (c == '\n' || kind == FLOW && (c == ',' || c == '}' || c == ']')) {
                break;
            }
            if (c == ' ' && at(p + 1) == '#') {
                if (kind == FLOW) {
                    throw notPlain();
                }
                break;
            }
            if (!is(c, kind) || c == ':' && !is(at(p + 1), kind) || c == ':' && at(p + 1) == ' ') {
                throw notPlain();
            }
            p++;
        }
        int last = p;
        while (text.charAt(last - 1) == ' ') {
            last--;
        }
        return scalar(text.substring(start, last), true, false, line, start - lineStart);
    }

    /** A quoted scalar closed on its line, without escapes ({@code ''} in single quotes is one quote). */
    private YamlNode quoted(char quote) {
        int column = p - lineStart;
        p++;
        StringBuilder value = null;
        int from = p;
        while (true) {
            char c = at(p);
            if (c == '\n' || c == '\\' && quote == '"' || c >= 0x7f || c < 0x20) {
                throw notPlain();
            }
            if (c == quote) {
                if (quote == '\'' && at(p + 1) == '\'') {
                    value = (value == null ? new StringBuilder() : value).append(text, from, p + 1);
                    p += 2;
                    from = p;
                    continue;
                }
                break;
            }
            p++;
        }
        String s = value == null ? text.substring(from, p) : value.append(text, from, p).toString();
        p++;
        return scalar(s, false, false, line, column);
    }

    private YamlNode scalar(String value, boolean plain, boolean key, int line, int column) {
        byte kind = plain ? YamlComposer.plainKind(value, resolver) : YamlNode.Scalar.TEXT;
        String v = key ? keys.computeIfAbsent(value, String::intern) : value;
        return new YamlNode.Scalar(v, kind, line + 1, column + 1);
    }
}
