package io.certform.manifest;

import io.certform.base.SourceRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a certificate's {@code domains:}: each domain by id or name, or a {@code match:} pattern, with the ids it
 * inherits; reports a domain bound twice, across certificates or within one.
 */
final class BindingReader extends SectionReader {

    static final Set<String> BINDING_KEYS = ordered("group_id", "domain_id", "domain", "instance_id", "match",
            "provider");

    /** How messages name a certificate's domains and their fields: made once per certificate, not per domain. */
    private record BindingLabels(String certificateKey, String where, String instanceId, String groupId,
                                 String domainId, String domain) {
        BindingLabels(String certificateKey) {
            this(certificateKey, "a domain of certificate '" + certificateKey + "'");
        }

        private BindingLabels(String certificateKey, String where) {
            this(certificateKey, where, where + " instance_id", where + " group_id", where + " domain_id",
                    where + " domain");
        }
    }

    /** Where a domain was first bound, to report a second binding of it. */
    private record FirstBinding(String certificate, SourceRange range) {
    }

    /**
     * A domain of a group, by its id or by its name: the key that finds a second binding of it. (Ids and domain
     * names hold no '/', so this is the same key as the text instance/group/id:ID or instance/group/name:NAME.)
     */
    private record BoundDomain(String instanceId, String groupId, boolean byName, String domain, String provider) {
        // Written out: a record's generated equals and hashCode go through method handles, slow without C2.
        @Override
        public boolean equals(Object o) {
            return o instanceof BoundDomain b && byName == b.byName && domain.equals(b.domain)
                    && groupId.equals(b.groupId) && instanceId.equals(b.instanceId) && provider.equals(b.provider);
        }

        @Override
        public int hashCode() {
            return (((instanceId.hashCode() * 31 + groupId.hashCode()) * 31 + domain.hashCode()) * 31
                    + provider.hashCode()) * 2 + (byName ? 1 : 0);
        }
    }

    private Map<BoundDomain, FirstBinding> boundDomains = new HashMap<>();
    /**
     * The current certificate's domains (names, else ids, after their provider's address prefix) by where they were
     * declared: an address is [provider.P.]KEY[DOMAIN], and certificate keys are distinct, so a repeated address is
     * a domain repeated within one certificate under one provider.
     */
    private Map<String, FirstBinding> addresses = new HashMap<>();

    private final ProviderChoice providers;

    BindingReader(SectionReader context, ProviderChoice providers) {
        super(context);
        this.providers = providers;
    }

    /** Sizes the map of bound domains for about {@code bindings} of them. */
    void expect(int bindings) {
        boundDomains = new HashMap<>(bindings + bindings / 3 + 1);
    }

    /** A certificate's {@code domains} entry: its bindings, the ones with errors left out. */
    List<BindingSpec> domains(YamlTree.Entry domains, String key, String where, SourceRange range,
                              Inherited inherited) {
        List<BindingSpec> bindings = new ArrayList<>();
        if (domains == null) {
            diagnostics.error(range, where + " has no 'domains'",
                    "List the domains it belongs on, e.g. domains: [{ group_id: ..., domain: api.example.com }].");
        } else {
            List<YamlNode> items = tree.sequence(domains.value(), where + " domains");
            if (items != null && items.isEmpty()) {
                diagnostics.error(tree.at(domains.value()), where + " has an empty 'domains' list",
                        "List at least one domain, or remove the certificate.");
            }
            if (items != null) {
                BindingLabels labels = new BindingLabels(key);
                addresses = new HashMap<>(Math.min(items.size(), 1 << 16) * 4 / 3 + 1);
                for (YamlNode item : items) {
                    BindingSpec binding = binding(labels, item, inherited);
                    if (binding != null) {
                        bindings.add(binding);
                    }
                }
            }
        }
        return bindings;
    }

    private BindingSpec binding(BindingLabels labels, YamlNode item, Inherited inherited) {
        String certificateKey = labels.certificateKey();
        String where = labels.where();
        Map<String, YamlTree.Entry> b = tree.mapping(item, where, BINDING_KEYS);
        if (b == null) {
            return null;
        }
        SourceRange range = tree.at(item);
        String own = providers.named(b, where + " provider");
        if (own == null && b.containsKey("provider")) {
            return null; // reported
        }
        String provider = providers.of(own, inherited, range, where);
        if (provider == null) {
            return null; // reported
        }
        String prefix = Provider.addressPrefix(provider);
        if (b.containsKey("match")) {
            return pattern(certificateKey, b, range, where, inherited, provider);
        }
        String instanceId = values.id(b.get("instance_id"), labels.instanceId());
        if (instanceId == null) {
            instanceId = inherited.instanceId();
        }
        String groupId = values.id(b.get("group_id"), labels.groupId());
        if (groupId == null) {
            groupId = inherited.groupId();
        }
        String domainId = values.id(b.get("domain_id"), labels.domainId());
        String domain = null;
        if (b.containsKey("domain")) {
            domain = values.string(b.get("domain").value(), labels.domain());
            if (domain != null && !NameRules.isDomainName(domain)) {
                diagnostics.error(tree.at(b.get("domain").value()), "'" + domain + "' is not a domain name",
                        "Write the custom domain as it is bound to the group, e.g. api.example.com.");
                domain = null;
            }
            if (domain != null) {
                domain = domain.toLowerCase(Locale.ROOT);
            }
        }
        boolean complete = true;
        if (instanceId == null) {
            diagnostics.error(range, where + " has no instance_id",
                    "Set instance_id on the domain, on the certificate, or under defaults.");
            complete = false;
        }
        if (groupId == null) {
            diagnostics.error(range, where + " has no group_id",
                    "Set group_id on the domain, on the certificate, or under defaults.");
            complete = false;
        }
        if (domainId == null && domain == null && !b.containsKey("domain")) {
            diagnostics.error(range, where + " names no domain", "Give domain_id, domain (its name), or both.");
            complete = false;
        }
        if (!complete || (domainId == null && domain == null)) {
            return null;
        }
        String addressed = domain != null ? domain : domainId;
        String address = prefix + certificateKey + "[" + addressed + "]";
        FirstBinding here = new FirstBinding(certificateKey, range);
        if (domainId != null) {
            duplicate(new BoundDomain(instanceId, groupId, false, domainId, provider), here);
        }
        if (domain != null) {
            duplicate(new BoundDomain(instanceId, groupId, true, domain, provider), here);
        }
        FirstBinding sameAddress = addresses.putIfAbsent(prefix.isEmpty() ? addressed : prefix + addressed, here);
        if (sameAddress != null) {
            diagnostics.error(range, "address " + address + " is declared twice",
                    "The first is at " + sameAddress.range() + ". Each domain of a certificate must be distinct.");
        }
        return new BindingSpec(address, instanceId, groupId, domainId, domain, range, null, provider);
    }

    /**
     * A {@code match:} entry: its pattern and where to look (its own group_id, else every group of the
     * instance). Overlaps with other entries are found once the pattern is resolved, at plan time.
     */
    private BindingSpec pattern(String certificateKey, Map<String, YamlTree.Entry> b, SourceRange range,
                                String where, Inherited inherited, String provider) {
        String text = values.string(b.get("match").value(), where + " match");
        if (b.containsKey("domain") || b.containsKey("domain_id")) {
            diagnostics.error(range, where + " gives both match and " + (b.containsKey("domain") ? "domain"
                    : "domain_id"), "An entry selects domains by pattern (match) or names one domain: split it"
                    + " into two entries.");
            return null;
        }
        String instanceId = Optional.ofNullable(values.id(b.get("instance_id"), where + " instance_id"))
                .orElse(inherited.instanceId());
        String groupId = values.id(b.get("group_id"), where + " group_id");
        if (instanceId == null) {
            diagnostics.error(range, where + " has no instance_id",
                    "Set instance_id on the domain, on the certificate, or under defaults.");
            return null;
        }
        if (text == null) {
            return null;
        }
        io.certform.base.NamePattern.Result parsed = io.certform.base.NamePattern.parse(text);
        if (parsed.pattern() == null) {
            diagnostics.error(tree.at(b.get("match").value()), "'" + text + "' is not a domain pattern: "
                    + parsed.problem(), "Write e.g. match: \"*.example.com\" ('*' one label, '**' one or more).");
            return null;
        }
        String pattern = parsed.pattern().text();
        return new BindingSpec(Provider.addressPrefix(provider) + certificateKey + "[" + pattern + "]", instanceId,
                groupId, null, null, range, pattern, provider);
    }

    private void duplicate(BoundDomain key, FirstBinding here) {
        FirstBinding first = boundDomains.putIfAbsent(key, here);
        if (first != null) {
            diagnostics.error(here.range(), "domain " + key.domain() + " is bound twice",
                    "It is also bound by certificate '" + first.certificate() + "' at " + first.range()
                            + ". A domain carries one certificate: remove one of the bindings.");
        }
    }
}
