package io.certform.manifest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.ComposerException;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;

/**
 * Builds a {@link YamlNode} tree straight from snakeyaml's parser events. snakeyaml's own composer keeps, per
 * node, a tag, a style, comment lists and two marks that hold on to the reader's buffers: for a manifest of
 * 100,000 bindings that was about 160 MB, most of a 256 MiB heap. Here a node keeps its value and where it
 * starts; the events and their marks are garbage as soon as they are read.
 *
 * <p>What snakeyaml's composer checks is checked here too, with the same exceptions: an alias to an anchor
 * not defined before it, more aliases to lists or mappings than the settings allow (alias-expansion attacks),
 * a node that contains itself, and a second document. Merge keys ({@code <<}) are kept as plain keys, so
 * that the reader can refuse them by name.
 */
final class YamlComposer {

    private final Iterator<Event> events;
    private final ScalarResolver resolver;
    private final int maxCollectionAliases;
    private final Map<Anchor, YamlNode> anchors = new HashMap<>();
    /** Anchors of collections still being read: an alias to one of them would make a cycle. */
    private final Set<Anchor> open = new HashSet<>();
    /** Mapping keys repeat in every entry ("group_id", "domain"): one copy of each. */
    private final Map<String, String> keys = new HashMap<>();
    private int collectionAliases;
    /** Collections open around the node being read: nesting is read by recursion, so it is bounded. */
    private int depth;
    static final int MAX_DEPTH = 200;

    private YamlComposer(LoadSettings settings, Iterator<Event> events) {
        this.events = events;
        this.resolver = settings.getSchema().getScalarResolver();
        this.maxCollectionAliases = settings.getMaxAliasesForCollections();
    }

    /**
     * The single document of {@code text}, or empty when it has none.
     *
     * @throws YamlEngineException (a {@code MarkedYamlEngineException} with a position where there is one)
     *                             when the text is not YAML or breaks one of the limits above
     */
    static Optional<YamlNode> compose(String text, LoadSettings settings) {
        YamlComposer composer = new YamlComposer(settings, new Parse(settings).parseString(text).iterator());
        return composer.document();
    }

    private Optional<YamlNode> document() {
        next(); // stream start
        Event event = next();
        if (event.getEventId() == Event.ID.StreamEnd) {
            return Optional.empty();
        }
        YamlNode root = node(next(), false); // after the document start
        next(); // document end
        Event after = next();
        if (after.getEventId() != Event.ID.StreamEnd) {
            throw new ComposerException("expected a single document in the stream", event.getStartMark(),
                    "but found another document", after.getStartMark());
        }
        return Optional.of(root);
    }

    private Event next() {
        Event event = events.next();
        while (event.getEventId() == Event.ID.Comment) {
            event = events.next();
        }
        return event;
    }

    private YamlNode node(Event event, boolean key) {
        Event.ID id = event.getEventId();
        if (id == Event.ID.Alias) {
            return alias((AliasEvent) event);
        }
        Optional<Anchor> anchor = ((NodeEvent) event).getAnchor();
        Mark mark = event.getStartMark().orElse(null);
        int line = mark == null ? 0 : mark.getLine() + 1;
        int column = mark == null ? 0 : mark.getColumn() + 1;
        YamlNode node;
        if (id == Event.ID.Scalar) {
            node = scalar((ScalarEvent) event, key, line, column);
        } else {
            if (++depth > MAX_DEPTH) {
                throw new ComposerException("found collections nested more than " + MAX_DEPTH + " levels deep (a"
                        + " manifest needs about six)", event.getStartMark());
            }
            anchor.ifPresent(open::add);
            List<YamlNode> children = new ArrayList<>();
            boolean mapping = id == Event.ID.MappingStart;
            Event.ID end = mapping ? Event.ID.MappingEnd : Event.ID.SequenceEnd;
            for (Event child = next(); child.getEventId() != end; child = next()) {
                children.add(node(child, mapping));
                if (mapping) {
                    children.add(node(next(), false));
                }
            }
            YamlNode[] array = children.toArray(new YamlNode[0]);
            node = mapping ? new YamlNode.Mapping(array, line, column) : new YamlNode.Sequence(array, line, column);
            anchor.ifPresent(open::remove);
            depth--;
        }
        anchor.ifPresent(a -> anchors.put(a, node));
        return node;
    }

    private YamlNode scalar(ScalarEvent event, boolean key, int line, int column) {
        Optional<String> tag = event.getTag();
        byte kind = YamlNode.Scalar.TEXT;
        if (tag.isEmpty() || tag.get().equals("!")) {
            if (event.getImplicit().canOmitTagInPlainScalar()) {
                kind = plainKind(event.getValue(), resolver);
            }
        } else {
            String t = tag.get();
            kind = t.equals(Tag.NULL.getValue()) ? YamlNode.Scalar.NULL
                    : t.equals(Tag.BOOL.getValue()) ? YamlNode.Scalar.BOOLEAN
                    : t.equals(Tag.FLOAT.getValue()) ? YamlNode.Scalar.FLOAT : YamlNode.Scalar.TEXT;
        }
        // Interned: the reader looks keys up by literals ("domain"), which then match by identity.
        String value = key ? keys.computeIfAbsent(event.getValue(), String::intern) : event.getValue();
        return new YamlNode.Scalar(value, kind, line, column);
    }

    /** What an untagged plain scalar is read as (also by {@link PlainYaml}). */
    static byte plainKind(String v, ScalarResolver resolver) {
        // Only a plain scalar starting with a character some schema's null, boolean or number starts with goes
        // through the resolver's regexes: most values skip them.
        char c = v.isEmpty() ? 'n' : v.charAt(0);
        if ("nN~tTfF0123456789+-.".indexOf(c) < 0) {
            return YamlNode.Scalar.TEXT;
        }
        Tag resolved = resolver.resolve(v, true);
        return resolved.equals(Tag.NULL) ? YamlNode.Scalar.NULL
                : resolved.equals(Tag.BOOL) ? YamlNode.Scalar.BOOLEAN
                : resolved.equals(Tag.FLOAT) ? YamlNode.Scalar.FLOAT : YamlNode.Scalar.TEXT;
    }

    private YamlNode alias(AliasEvent event) {
        Anchor anchor = event.getAlias();
        Optional<Mark> at = event.getStartMark();
        if (open.contains(anchor)) {
            throw new ComposerException("found a recursive alias " + anchor + " (a node that contains itself)", at);
        }
        YamlNode node = anchors.get(anchor);
        if (node == null) {
            throw new ComposerException("found undefined alias " + anchor, at);
        }
        if (!(node instanceof YamlNode.Scalar) && ++collectionAliases > maxCollectionAliases) {
            throw new YamlEngineException("Number of aliases for non-scalar nodes exceeds the specified max="
                    + maxCollectionAliases);
        }
        return node;
    }
}
