package io.certform.manifest;

import io.certform.diag.Diagnostics;
import io.certform.base.SourceRange;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the manifest's YAML tree ({@link YamlNode}, built by {@link YamlComposer}) with positions, reporting shape problems (wrong type, unknown or duplicate
 * key) as diagnostics instead of throwing.
 */
final class YamlTree {

    /**
     * A key of a mapping and its value, with the key's position (made when asked for: a message needs it, the
     * 200,000 keys of a manifest of 100,000 bindings do not).
     */
    static final class Entry {
        private final String key;
        private final YamlNode keyNode;
        private final YamlNode value;
        private final YamlTree tree;

        private Entry(String key, YamlNode keyNode, YamlNode value, YamlTree tree) {
            this.key = key;
            this.keyNode = keyNode;
            this.value = value;
            this.tree = tree;
        }

        String key() {
            return key;
        }

        SourceRange keyRange() {
            return tree.at(keyNode);
        }

        YamlNode value() {
            return value;
        }
    }

    private final String file;
    private final Diagnostics diagnostics;

    YamlTree(String file, Diagnostics diagnostics) {
        this.file = file;
        this.diagnostics = diagnostics;
    }

    SourceRange at(YamlNode node) {
        return node.line() > 0 ? new SourceRange(file, node.line(), node.column()) : SourceRange.ofFile(file);
    }

    /**
     * The entries of a mapping in file order. Duplicate and unknown keys are reported (and the duplicates
     * dropped); returns null, after reporting, when the node is not a mapping.
     */
    Map<String, Entry> mapping(YamlNode node, String what, Set<String> allowed) {
        if (!(node instanceof YamlNode.Mapping mapping)) {
            diagnostics.error(at(node), what + " must be a mapping of keys to values, not " + describe(node), "");
            return null;
        }
        int size = mapping.size();
        Map<String, Entry> entries = new LinkedHashMap<>(size * 4 / 3 + 1); // sized: a binding's has 2 to 5 keys
        for (int i = 0; i < size; i++) {
            YamlNode keyNode = mapping.key(i);
            if (!(keyNode instanceof YamlNode.Scalar scalarKey)) {
                diagnostics.error(at(keyNode), "keys of " + what + " must be plain words", "");
                continue;
            }
            String key = scalarKey.value();
            if (key.equals("<<")) {
                diagnostics.error(at(keyNode), "YAML merge keys (<<) are not supported in " + what,
                        "Write the keys out, or put shared values under 'defaults'.");
                continue;
            }
            Entry first = entries.get(key);
            if (first != null) {
                diagnostics.error(at(keyNode), "duplicate key '" + key + "' in " + what,
                        "The first '" + key + "' is at " + first.keyRange() + ". Remove one of them.");
                continue;
            }
            if (allowed != null && !allowed.contains(key)) {
                String suggestion = closest(key, allowed);
                diagnostics.error(at(keyNode), "unknown key '" + key + "' in " + what,
                        (suggestion == null ? "" : "Did you mean '" + suggestion + "'? ")
                                + "Allowed keys: " + String.join(", ", allowed) + ".");
                continue;
            }
            entries.put(key, new Entry(key, keyNode, mapping.value(i), this));
        }
        return entries;
    }

    /** The items of a sequence; null, after reporting, when the node is not a sequence. */
    List<YamlNode> sequence(YamlNode node, String what) {
        if (!(node instanceof YamlNode.Sequence sequence)) {
            diagnostics.error(at(node), what + " must be a list, not " + describe(node), "");
            return null;
        }
        return sequence.items();
    }

    /** A scalar's text; null, after reporting, when it is not a non-empty scalar. */
    String scalar(YamlNode node, String what) {
        if (!(node instanceof YamlNode.Scalar scalar)) {
            diagnostics.error(at(node), what + " must be a single value, not " + describe(node), "");
            return null;
        }
        if (scalar.isNull() || scalar.value().isEmpty()) {
            diagnostics.error(at(node), what + " is empty", "Give it a value, or remove the key.");
            return null;
        }
        return scalar.value();
    }

    static String describe(YamlNode node) {
        if (node instanceof YamlNode.Mapping) {
            return "a mapping";
        }
        if (node instanceof YamlNode.Sequence) {
            return "a list";
        }
        if (node instanceof YamlNode.Scalar s && s.isNull()) {
            return "an empty value";
        }
        return "a single value";
    }

    /**
     * The allowed key nearest to a misspelt one, or null: the same key in another case or with '-' for '_'
     * ({@code Cert-Content}), else one at most two edits away ({@code cert_contnet}).
     */
    static String closest(String key, Collection<String> allowed) {
        String normal = key.toLowerCase(java.util.Locale.ROOT).replace('-', '_');
        String best = null;
        int bestDistance = 3;
        for (String candidate : allowed) {
            int d = distance(normal, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
