package io.certform.manifest;

import io.certform.base.SourceRange;
import java.util.List;
import java.util.Map;

/**
 * Which provider a binding uses: its own {@code provider:}, else its certificate's, else {@code defaults.provider},
 * else {@value Provider#DEFAULT} when it exists, else the only provider; a manifest of several providers with none of
 * these is an error. A name that is not a provider is an error naming the known ones.
 */
final class ProviderChoice extends SectionReader {

    private List<String> names = List.of();

    ProviderChoice(SectionReader context) {
        super(context);
    }

    /** The providers the manifest declares (those that could be read), in declared order. */
    void declared(List<Provider> providers) {
        this.names = providers.stream().map(Provider::name).toList();
    }

    /**
     * The {@code provider} key of {@code c}, checked against the declared providers: its name, or null when absent or
     * wrong (reported).
     */
    String named(Map<String, YamlTree.Entry> c, String what) {
        YamlTree.Entry entry = c.get("provider");
        if (entry == null) {
            return null;
        }
        String name = values.string(entry.value(), what);
        if (name == null || names.isEmpty()) {
            return null; // no provider could be read: that is reported already
        }
        if (!names.contains(name)) {
            diagnostics.error(tree.at(entry.value()), what + " '" + name + "' is not a provider of this manifest",
                    "The providers are: " + String.join(", ", names) + ". Name one of them, or declare '" + name
                            + "' under 'providers:'.");
            return null;
        }
        return name;
    }

    /**
     * The inherited values with the {@code provider} of {@code c} (defaults or a certificate) over them; a wrong name
     * (reported) makes the bindings below it name none, so that they are not reported again.
     */
    Inherited over(Inherited inherited, Map<String, YamlTree.Entry> c, String what) {
        YamlTree.Entry entry = c.get("provider");
        if (entry == null) {
            return inherited;
        }
        String name = named(c, what);
        return inherited.onProvider(name == null ? "" : name, tree.at(entry.value()));
    }

    /**
     * The provider of a binding: {@code own} (its {@code provider:}), else the inherited one, else the rule's
     * fallbacks; null, after reporting at {@code range}, when the rule names none.
     */
    String of(String own, Inherited inherited, SourceRange range, String where) {
        if (own != null) {
            return own;
        }
        if (inherited.provider() != null) {
            return inherited.provider().isEmpty() ? null : inherited.provider(); // empty: a wrong name, reported
        }
        if (names.isEmpty() || names.contains(Provider.DEFAULT)) {
            return Provider.DEFAULT;
        }
        if (names.size() == 1) {
            return names.get(0);
        }
        diagnostics.error(range, where + " names no provider",
                "The manifest has several providers (" + String.join(", ", names) + ") and none named default: set"
                        + " provider: NAME on the domain, on its certificate, or under defaults.");
        return null;
    }
}
