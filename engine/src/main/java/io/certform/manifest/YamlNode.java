package io.certform.manifest;

import java.util.Arrays;
import java.util.List;

/**
 * A node of the manifest's YAML, kept as small as a manifest of 100,000 bindings needs: its value and the
 * 1-based line and column where it starts, and nothing else (no tags, marks, styles or comments).
 */
abstract sealed class YamlNode permits YamlNode.Scalar, YamlNode.Mapping, YamlNode.Sequence {

    private final int line;
    private final int column;

    private YamlNode(int line, int column) {
        this.line = line;
        this.column = column;
    }

    int line() {
        return line;
    }

    int column() {
        return column;
    }

    /**
     * A single value, with what YAML reads an untagged plain scalar as: null ({@code ~}, {@code null}, nothing), a
     * boolean ({@code true}), a float ({@code 30.0}), or text (anything else, and every quoted value). The JSON
     * Schema judges the manifest by these types, so certform does too.
     */
    static final class Scalar extends YamlNode {
        static final byte TEXT = 0;
        static final byte NULL = 1;
        static final byte BOOLEAN = 2;
        static final byte FLOAT = 3;

        private final String value;
        private final byte kind;

        Scalar(String value, boolean isNull, int line, int column) {
            this(value, isNull ? NULL : TEXT, line, column);
        }

        Scalar(String value, byte kind, int line, int column) {
            super(line, column);
            this.value = value;
            this.kind = kind;
        }

        String value() {
            return value;
        }

        boolean isNull() {
            return kind == NULL;
        }

        boolean isBoolean() {
            return kind == BOOLEAN;
        }

        boolean isFloat() {
            return kind == FLOAT;
        }
    }

    /** Keys and values in file order, duplicates included (the reader reports them). */
    static final class Mapping extends YamlNode {
        private final YamlNode[] keysAndValues;

        Mapping(YamlNode[] keysAndValues, int line, int column) {
            super(line, column);
            this.keysAndValues = keysAndValues;
        }

        int size() {
            return keysAndValues.length / 2;
        }

        YamlNode key(int i) {
            return keysAndValues[2 * i];
        }

        YamlNode value(int i) {
            return keysAndValues[2 * i + 1];
        }
    }

    /** The items of a list, in file order. */
    static final class Sequence extends YamlNode {
        private final YamlNode[] items;

        Sequence(YamlNode[] items, int line, int column) {
            super(line, column);
            this.items = items;
        }

        List<YamlNode> items() {
            return Arrays.asList(items);
        }
    }
}
