package io.certform.manifest;

import io.certform.diag.Diagnostics;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What every reader of a manifest section shares: the tree being read (positions, mappings, sequences), the typed
 * values read from it, and where its problems go. One context per parse; each section's reader is built on it.
 */
abstract class SectionReader {

    final YamlTree tree;
    final ValueReader values;
    final Diagnostics diagnostics;

    SectionReader(YamlTree tree, ValueReader values, Diagnostics diagnostics) {
        this.tree = tree;
        this.values = values;
        this.diagnostics = diagnostics;
    }

    /** Built on the same context as {@code context}. */
    SectionReader(SectionReader context) {
        this(context.tree, context.values, context.diagnostics);
    }

    /**
     * A word of a closed set: {@code parse} gives its value, or null for a word it does not know, which is reported
     * as {@code unknown} says with {@code hint}. Null when the word is unknown or could not be read (reported).
     */
    <T> T choice(YamlTree.Entry entry, String what, Function<String, T> parse, Function<String, String> unknown,
                 String hint) {
        String word = values.string(entry.value(), what);
        T value = word == null ? null : parse.apply(word);
        if (word != null && value == null) {
            diagnostics.error(tree.at(entry.value()), unknown.apply(word), hint);
        }
        return value;
    }

    /** The keys a section accepts, in the order messages suggest them. */
    static Set<String> ordered(String... keys) {
        return new LinkedHashSet<>(List.of(keys));
    }
}
