package io.certform.manifest;

import io.certform.base.Durations;
import io.certform.base.Secret;
import io.certform.base.SourceRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code rollout:} block and a certificate's {@code previous:} block, reporting every bad value at its
 * position. Whether the certificates and keys named load is checked with the certificates (validate), not here.
 */
final class RolloutReader extends SectionReader {

    static final Set<String> ROLLOUT_KEYS = keys("by", "order", "waves", "verify", "probe", "max_failures",
            "on_failure");
    static final Set<String> PROBE_KEYS = keys("port", "resolve", "timeout", "propagation", "roots");
    static final Set<String> PREVIOUS_KEYS = keys("cert_content", "private_key");

    private static final String WAVES_HINT = "Write a count of bindings (1 or more) or a share of what remains, from"
            + " \"1%\" to \"100%\", e.g. waves: [1, \"10%\", \"100%\"].";

    RolloutReader(SectionReader context) {
        super(context);
    }

    /** The block; {@link RolloutSpec#NONE} when absent, and the defaults for every value left out or wrong. */
    RolloutSpec rollout(YamlTree.Entry entry, List<String> providers) {
        if (entry == null) {
            return RolloutSpec.NONE;
        }
        SourceRange range = tree.at(entry.value());
        Map<String, YamlTree.Entry> r = tree.mapping(entry.value(), "rollout", ROLLOUT_KEYS);
        if (r == null) {
            return new RolloutSpec(true, List.of(RolloutSpec.WaveSize.REST), RolloutSpec.Verify.NONE,
                    RolloutSpec.Probe.DEFAULT, 0, RolloutSpec.OnFailure.STOP, range);
        }
        List<RolloutSpec.WaveSize> waves = r.containsKey("waves") ? waves(r.get("waves")) : List.of();
        RolloutSpec.Verify verify = RolloutSpec.Verify.NONE;
        if (r.containsKey("verify")) {
            verify = choice(r.get("verify"), "rollout.verify", RolloutSpec.Verify::of,
                    word -> "rollout.verify '" + word + "' is not none or tls",
                    "Write verify: tls to check that each domain serves the new certificate, or none (the"
                            + " default).");
        }
        RolloutSpec.Probe probe = r.containsKey("probe") ? probe(r.get("probe")) : RolloutSpec.Probe.DEFAULT;
        Integer maxFailures = r.containsKey("max_failures")
                ? whole(r.get("max_failures"), "rollout.max_failures", 0, Integer.MAX_VALUE,
                "Write the failures tolerated per wave: 0 (the default) or more.") : Integer.valueOf(0);
        RolloutSpec.OnFailure onFailure = RolloutSpec.OnFailure.STOP;
        if (r.containsKey("on_failure")) {
            onFailure = choice(r.get("on_failure"), "rollout.on_failure", RolloutSpec.OnFailure::of,
                    word -> "rollout.on_failure '" + word + "' is not stop or rollback",
                    "Write stop (the default: the waves done stay) or rollback (restore the previous certificate on"
                            + " the waves done).");
        }
        List<String> order = providerOrder(r, providers);
        return new RolloutSpec(true, waves.isEmpty() ? List.of(RolloutSpec.WaveSize.REST) : waves,
                verify == null ? RolloutSpec.Verify.NONE : verify, probe == null ? RolloutSpec.Probe.DEFAULT : probe,
                maxFailures == null ? 0 : maxFailures, onFailure == null ? RolloutSpec.OnFailure.STOP : onFailure,
                range, order);
    }

    /**
     * {@code by: provider} and {@code order}: every provider's name, those listed first in their order, then the
     * others in declared order ({@code default} first); empty without {@code by: provider} or when wrong (reported).
     */
    private List<String> providerOrder(Map<String, YamlTree.Entry> r, List<String> providers) {
        boolean byProvider = false;
        if (r.containsKey("by")) {
            YamlTree.Entry by = r.get("by");
            String word = values.string(by.value(), "rollout.by");
            if (word != null && !word.strip().equals("provider")) {
                diagnostics.error(tree.at(by.value()), "rollout.by '" + word + "' is not provider",
                        "Write by: provider to send each provider's bindings as one wave, or remove rollout.by to"
                                + " make waves by size (rollout.waves).");
            }
            byProvider = word != null && word.strip().equals("provider");
            if (byProvider && r.containsKey("waves")) {
                diagnostics.error(tree.at(r.get("waves").value()), "rollout.waves cannot be used with by: provider"
                        + " (at " + tree.at(by.value()) + "), where each wave is one provider's bindings",
                        "Remove rollout.waves, or remove rollout.by to make waves by size.");
            }
        }
        if (!r.containsKey("order")) {
            return byProvider ? List.copyOf(providers) : List.of();
        }
        YamlTree.Entry entry = r.get("order");
        if (!byProvider) {
            if (!r.containsKey("by")) {
                diagnostics.error(tree.at(entry.value()), "rollout.order needs by: provider",
                        "Add by: provider to send each provider's bindings as one wave in this order, or remove"
                                + " rollout.order.");
            }
            return List.of();
        }
        List<YamlNode> items = tree.sequence(entry.value(), "rollout.order");
        if (items == null) {
            return List.of();
        }
        String known = String.join(", ", providers);
        List<String> order = new ArrayList<>();
        boolean bad = false;
        for (int i = 0; i < items.size(); i++) {
            String what = "rollout.order[" + i + "]";
            String name = values.string(items.get(i), what);
            if (name == null) {
                bad = true;
                continue;
            }
            name = name.strip();
            SourceRange at = tree.at(items.get(i));
            if (!providers.contains(name)) {
                diagnostics.error(at, what + " '" + name + "' is not a provider of the manifest (known: " + known
                        + ")", "Write the names of providers declared under provider: (default) or providers:.");
                bad = true;
            } else if (order.contains(name)) {
                diagnostics.error(at, what + " '" + name + "' is listed twice", "List each provider once.");
                bad = true;
            } else {
                order.add(name);
            }
        }
        if (bad) {
            return List.of();
        }
        providers.stream().filter(p -> !order.contains(p)).forEach(order::add);
        return order;
    }

    private List<RolloutSpec.WaveSize> waves(YamlTree.Entry entry) {
        List<YamlNode> items = tree.sequence(entry.value(), "rollout.waves");
        if (items == null) {
            return List.of();
        }
        if (items.isEmpty()) {
            diagnostics.error(tree.at(entry.value()), "rollout.waves is an empty list", WAVES_HINT);
            return List.of();
        }
        List<RolloutSpec.WaveSize> waves = new ArrayList<>();
        SourceRange everything = null;
        for (int i = 0; i < items.size(); i++) {
            YamlNode item = items.get(i);
            String what = "rollout.waves[" + i + "]";
            String text = values.string(item, what);
            if (text == null) {
                continue;
            }
            RolloutSpec.WaveSize size = waveSize(text.strip());
            SourceRange at = tree.at(item);
            if (size == null) {
                diagnostics.error(at, what + " '" + text + "' is not a count or a share", WAVES_HINT);
                continue;
            }
            if (everything != null) {
                diagnostics.error(at, what + " '" + text + "' comes after \"100%\" (at " + everything
                        + "), which takes every binding left: this wave would always be empty",
                        "End the list at \"100%\", or remove it to let the last wave take the rest.");
                continue;
            }
            if (size.equals(RolloutSpec.WaveSize.REST)) {
                everything = at;
            }
            waves.add(size);
        }
        return waves;
    }

    /** {@code 5} or {@code "10%"}; null for anything else (0, 0%, 150%, 2.5%, -1, ten). */
    static RolloutSpec.WaveSize waveSize(String text) {
        return RolloutSpec.WaveSize.parse(text);
    }

    private RolloutSpec.Probe probe(YamlTree.Entry entry) {
        Map<String, YamlTree.Entry> p = tree.mapping(entry.value(), "rollout.probe", PROBE_KEYS);
        if (p == null) {
            return null;
        }
        RolloutSpec.Probe d = RolloutSpec.Probe.DEFAULT;
        Integer port = p.containsKey("port") ? whole(p.get("port"), "rollout.probe.port", 1, 65535,
                "Write the TLS port the domains serve on, from 1 to 65535 (default 443).") : null;
        RolloutSpec.HostPort resolve = null;
        if (p.containsKey("resolve")) {
            String text = values.string(p.get("resolve").value(), "rollout.probe.resolve");
            resolve = RolloutSpec.HostPort.parse(text);
            if (text != null && resolve == null) {
                diagnostics.error(tree.at(p.get("resolve").value()), "rollout.probe.resolve '" + text
                        + "' is not HOST:PORT", "Write where to connect instead of resolving each domain, as curl's"
                        + " --resolve does: e.g. 127.0.0.1:8443, or [::1]:8443 for IPv6.");
            }
        }
        Duration timeout = p.containsKey("timeout") ? duration(p.get("timeout"), "rollout.probe.timeout", false)
                : null;
        Duration propagation = p.containsKey("propagation")
                ? duration(p.get("propagation"), "rollout.probe.propagation", true) : null;
        SourceValue roots = p.containsKey("roots")
                ? values.resolved(p, "roots", "rollout.probe", tree.at(entry.value()), false) : null;
        return new RolloutSpec.Probe(port == null ? d.port() : port, resolve, timeout == null ? d.timeout() : timeout,
                propagation == null ? d.propagation() : propagation, roots);
    }

    private Integer whole(YamlTree.Entry entry, String what, int min, int max, String hint) {
        String text = values.string(entry.value(), what);
        if (text == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        diagnostics.error(tree.at(entry.value()), what + " '" + text + "' is not a whole number from " + min
                + (max == Integer.MAX_VALUE ? " up" : " to " + max), hint);
        return null;
    }

    private Duration duration(YamlTree.Entry entry, String what, boolean zeroAllowed) {
        String text = values.string(entry.value(), what);
        if (text == null) {
            return null;
        }
        try {
            Duration d = Durations.parse(text);
            if (d.isZero() && !zeroAllowed) {
                throw new IllegalArgumentException("zero");
            }
            return d;
        } catch (IllegalArgumentException e) {
            diagnostics.error(tree.at(entry.value()), what + " '" + text + "' is not a duration"
                    + (zeroAllowed ? "" : " above zero"), "Write e.g. 500ms, 10s or 2m.");
            return null;
        }
    }

    /** A certificate's {@code previous:} block; null when absent or unreadable (reported). */
    PreviousCertificate previous(Map<String, YamlTree.Entry> certificate, String where) {
        YamlTree.Entry entry = certificate.get("previous");
        if (entry == null) {
            return null;
        }
        String what = where + " previous";
        Map<String, YamlTree.Entry> p = tree.mapping(entry.value(), what, PREVIOUS_KEYS);
        if (p == null) {
            return null;
        }
        SourceRange range = tree.at(entry.value());
        SourceValue content = values.resolved(p, "cert_content", what, range, true);
        Secret key = values.secret(p, "private_key", what, range, true);
        return content == null || key == null ? null : new PreviousCertificate(content, key, range);
    }

    private static Set<String> keys(String... names) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(names)));
    }
}
