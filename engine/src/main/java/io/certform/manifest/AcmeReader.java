package io.certform.manifest;

import io.certform.base.Secret;
import io.certform.base.SourceRange;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a certificate's {@code acme:} block and the top-level {@code keystore:} block, with every check that needs
 * nothing but the manifest: the directory URL, the contacts, the key type, the names (and that they cover the entry's
 * domains), the durations, the challenge's commands and resolvers. The CA bundle's PEM is checked with the
 * certificates (workflow), which read PEM.
 */
final class AcmeReader extends SectionReader {

    static final Set<String> ACME_KEYS = ordered("directory", "contact", "eab", "key_type", "names", "challenge",
            "renew_before", "preferred_chain", "ca_bundle");
    static final Set<String> EAB_KEYS = ordered("key_id", "hmac_key");
    static final Set<String> KEYSTORE_KEYS = ordered("password");

    /** Longer than any certificate an ACME CA issues: a renew_before beyond it would renew on every run. */
    static final Duration MAX_RENEW_BEFORE = Duration.ofDays(3650);
    private static final Pattern DAYS = Pattern.compile("(\\d{1,9})d");

    /** {@code keys} (ManifestParser's registry) with the keys of {@code acme:} and {@code keystore:} added. */
    static Map<String, Set<String>> withAcmeKeys(Map<String, Set<String>> keys) {
        Map<String, Set<String>> all = new java.util.HashMap<>(keys);
        all.put("keystore", java.util.Collections.unmodifiableSet(KEYSTORE_KEYS));
        all.put("certificates.*.acme", java.util.Collections.unmodifiableSet(ACME_KEYS));
        all.put("certificates.*.acme.eab", java.util.Collections.unmodifiableSet(EAB_KEYS));
        all.put("certificates.*.acme.challenge", java.util.Collections.unmodifiableSet(
                AcmeChallengeReader.CHALLENGE_KEYS));
        all.put("certificates.*.acme.challenge.exec", java.util.Collections.unmodifiableSet(
                AcmeChallengeReader.EXEC_KEYS));
        return Map.copyOf(all);
    }

    private final AcmeChallengeReader challenges;

    AcmeReader(SectionReader context) {
        super(context);
        this.challenges = new AcmeChallengeReader(context, this);
    }

    /** {@code keystore:}, or null when absent or unreadable (reported). */
    KeystoreSpec keystore(YamlTree.Entry entry) {
        if (entry == null) {
            return null;
        }
        Map<String, YamlTree.Entry> k = tree.mapping(entry.value(), "keystore", KEYSTORE_KEYS);
        if (k == null) {
            return null;
        }
        SourceRange range = tree.at(entry.value());
        Secret password = values.secret(k, "password", "keystore", range, true);
        if (password != null && password.reveal().isEmpty()) {
            diagnostics.error(password.range(), "keystore password is empty (" + password.origin() + ")",
                    "Set it to a long random value, kept where certform's runners read it (a CI secret).");
            return null;
        }
        return password == null ? null : new KeystoreSpec(password, range);
    }

    /** The entry's {@code acme:} block; null, after reporting, when it cannot be read. */
    AcmeSpec acme(YamlTree.Entry entry, String where, List<BindingSpec> bindings) {
        String what = where + " acme";
        Map<String, YamlTree.Entry> a = tree.mapping(entry.value(), what, ACME_KEYS);
        if (a == null) {
            return null;
        }
        SourceRange range = tree.at(entry.value());
        long before = diagnostics.errorCount();
        String directory = url(a, "directory", what, range, true);
        List<String> contacts = contacts(a.get("contact"), what);
        AcmeSpec.Eab eab = eab(a.get("eab"), what);
        AcmeSpec.KeyType keyType = AcmeSpec.KeyType.EC256;
        if (a.containsKey("key_type")) {
            keyType = choice(a.get("key_type"), what + " key_type", AcmeSpec.KeyType::fromManifest,
                    word -> what + " key_type '" + word + "' is not a key type",
                    "Write rsa2048, rsa3072, rsa4096, ec256 (the default) or ec384.");
        }
        AcmeSpec.Challenge challenge = challenges.challenge(a.get("challenge"), what);
        List<String> names = a.containsKey("names") ? names(a.get("names"), what) : defaultNames(bindings, what,
                range);
        if (names != null && a.containsKey("names")) {
            covers(names, bindings, what, tree.at(a.get("names").value()));
        }
        Duration renewBefore = a.containsKey("renew_before") ? renewBefore(a.get("renew_before"), what) : null;
        String preferredChain = a.containsKey("preferred_chain")
                ? values.string(a.get("preferred_chain").value(), what + " preferred_chain") : null;
        SourceValue caBundle = a.containsKey("ca_bundle") ? values.resolved(a, "ca_bundle", what, range, false) : null;
        if (diagnostics.errorCount() > before || names == null || challenge == null || keyType == null) {
            return null;
        }
        return new AcmeSpec(directory, contacts, eab, keyType, names, a.containsKey("names"), challenge, renewBefore,
                preferredChain, caBundle, range);
    }

    /** An http(s) URL: https, or http to this machine only (a test CA); null, after reporting, otherwise. */
    String url(Map<String, YamlTree.Entry> a, String key, String what, SourceRange range, boolean required) {
        YamlTree.Entry entry = a.get(key);
        if (entry == null) {
            if (required) {
                diagnostics.error(range, what + " is missing '" + key + "'", "Give the CA's ACME directory URL,"
                        + " e.g. directory: https://acme-v02.api.letsencrypt.org/directory.");
            }
            return null;
        }
        String text = values.string(entry.value(), what + " " + key);
        if (text == null) {
            return null;
        }
        String problem = urlProblem(text);
        if (problem != null) {
            diagnostics.error(tree.at(entry.value()), what + " " + key + " '" + text + "' " + problem,
                    "Write the full URL, e.g. https://acme-v02.api.letsencrypt.org/directory.");
            return null;
        }
        return text;
    }

    static String urlProblem(String text) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            return "is not a URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            return "is not an http(s) URL with a host";
        }
        if (scheme.equals("http") && !loopback(uri.getHost())) {
            return "is plain http to another machine: ACME runs over https";
        }
        return null;
    }

    private static boolean loopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }

    /** {@code contact}: one {@code mailto:} URL or a list of them. */
    private List<String> contacts(YamlTree.Entry entry, String what) {
        List<String> out = new ArrayList<>();
        if (entry == null) {
            return out;
        }
        List<YamlNode> items = entry.value() instanceof YamlNode.Sequence s ? s.items() : List.of(entry.value());
        for (YamlNode item : items) {
            String text = values.string(item, what + " contact");
            if (text == null) {
                continue;
            }
            String address = text.startsWith("mailto:") ? text.substring("mailto:".length()) : null;
            int at = address == null ? -1 : address.indexOf('@');
            if (at < 1 || at == address.length() - 1 || address.indexOf(',') >= 0 || address.contains(" ")) {
                diagnostics.error(tree.at(item), what + " contact '" + text + "' is not a mailto: address",
                        "Write contact: mailto:platform@example.com (one address per entry; a list for more).");
                continue;
            }
            out.add(text);
        }
        return out;
    }

    private AcmeSpec.Eab eab(YamlTree.Entry entry, String what) {
        if (entry == null) {
            return null;
        }
        Map<String, YamlTree.Entry> e = tree.mapping(entry.value(), what + " eab", EAB_KEYS);
        if (e == null) {
            return null;
        }
        SourceRange range = tree.at(entry.value());
        String keyId = values.required(e, "key_id", what + " eab", range);
        Secret hmac = values.secret(e, "hmac_key", what + " eab", range, true);
        return keyId == null || hmac == null ? null : new AcmeSpec.Eab(keyId, hmac);
    }

    /** {@code names}: domain names, a wildcard first label allowed (every challenge certform answers is dns-01). */
    private List<String> names(YamlTree.Entry entry, String what) {
        List<YamlNode> items = tree.sequence(entry.value(), what + " names");
        if (items == null) {
            return null;
        }
        if (items.isEmpty()) {
            diagnostics.error(tree.at(entry.value()), what + " names is empty",
                    "List the names to order, or remove names to order the entry's domains.");
            return null;
        }
        List<String> names = new ArrayList<>();
        for (YamlNode item : items) {
            String name = values.string(item, what + " names");
            if (name == null) {
                continue;
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (!NameRules.isDomainName(lower)) {
                diagnostics.error(tree.at(item), what + " name '" + name + "' is not a domain name",
                        "Write a name such as api.example.com, or a wildcard *.example.com (one '*' as the whole"
                                + " first label; issued through dns-01).");
            } else if (names.contains(lower)) {
                diagnostics.error(tree.at(item), what + " names '" + name + "' twice", "List each name once.");
            } else {
                names.add(lower);
            }
        }
        return names;
    }

    /** The entry's domains' names, a pattern's as its wildcard; null, after reporting, when one has none. */
    private List<String> defaultNames(List<BindingSpec> bindings, String what, SourceRange range) {
        List<String> names = new ArrayList<>();
        for (BindingSpec b : bindings) {
            String name = b.isPattern() ? b.match() : b.domain();
            if (name == null) {
                diagnostics.error(b.range(), what + ": the domain " + b.domainId() + " is named by id only, so"
                        + " certform cannot tell which name to order", "List the names under acme: names: [...].");
                return null;
            }
            name = name.toLowerCase(Locale.ROOT);
            if (!NameRules.isDomainName(name)) {
                diagnostics.error(b.range(), what + ": the pattern '" + name + "' is not a name a certificate can"
                        + " carry", "A certificate's wildcard is '*' as the whole first label (*.example.com):"
                        + " list the names to order under acme: names: [...].");
                return null;
            }
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        if (names.isEmpty()) {
            diagnostics.error(range, what + " has no names to order", "List the entry's domains, or acme: names.");
            return null;
        }
        return names;
    }

    /** Every named domain and pattern of the entry is covered by a name; a name that covers none is a warning. */
    private void covers(List<String> names, List<BindingSpec> bindings, String what, SourceRange namesRange) {
        boolean[] used = new boolean[names.size()];
        for (BindingSpec b : bindings) {
            String domain = b.isPattern() ? b.match() : b.domain();
            if (domain == null) {
                continue; // named by id: its name is known at plan time
            }
            domain = domain.toLowerCase(Locale.ROOT);
            boolean covered = false;
            for (int i = 0; i < names.size(); i++) {
                if (covers(names.get(i), domain)) {
                    used[i] = true;
                    covered = true;
                }
            }
            if (!covered) {
                diagnostics.error(b.range(), what + " names do not cover the domain " + domain,
                        "The names are " + String.join(", ", names) + ". Add " + domain + " (or a wildcard over it)"
                                + " to acme: names, or remove names to order the entry's domains.");
            }
        }
        for (int i = 0; i < names.size(); i++) {
            if (!used[i] && bindings.stream().allMatch(b -> b.domain() != null || b.isPattern())) {
                diagnostics.warning(namesRange, what + " orders " + names.get(i) + ", which none of its domains needs",
                        "It is issued all the same; remove it from names if it is not wanted.");
            }
        }
    }

    /**
     * Whether the certificate name {@code name} covers {@code domain} (a domain, or a pattern whose '*' stands for
     * one label): equal, or a wildcard {@code *.S} over one more label than S.
     */
    static boolean covers(String name, String domain) {
        if (name.equals(domain)) {
            return true;
        }
        if (!name.startsWith("*.")) {
            return false;
        }
        String suffix = name.substring(1);
        if (!domain.endsWith(suffix)) {
            return false;
        }
        String label = domain.substring(0, domain.length() - suffix.length());
        return !label.isEmpty() && label.indexOf('.') < 0 && !label.contains("**");
    }

    /** {@code renew_before}: 30d, 720h, ...: more than nothing, less than any lifetime. */
    private Duration renewBefore(YamlTree.Entry entry, String what) {
        String text = values.string(entry.value(), what + " renew_before");
        if (text == null) {
            return null;
        }
        Duration d = null;
        Matcher days = DAYS.matcher(text.trim().toLowerCase(Locale.ROOT));
        try {
            d = days.matches() ? Duration.ofDays(Long.parseLong(days.group(1)))
                    : io.certform.base.Durations.parse(text);
        } catch (IllegalArgumentException e) {
            // reported below
        }
        if (d == null || d.isZero() || d.compareTo(MAX_RENEW_BEFORE) >= 0) {
            diagnostics.error(tree.at(entry.value()), what + " renew_before '" + text + "' is not a duration from"
                    + " 1s to 3649d", "Write e.g. 30d or 720h; leave it out to renew when a third of the"
                    + " certificate's lifetime remains.");
            return null;
        }
        return d;
    }
}
