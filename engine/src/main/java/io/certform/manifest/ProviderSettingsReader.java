package io.certform.manifest;

import io.certform.base.Durations;
import io.certform.base.Secret;
import io.certform.base.SourceRange;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads a provider block's {@code credentials:} (references only) and its run settings. */
final class ProviderSettingsReader extends SectionReader {

    static final Set<String> CREDENTIAL_KEYS = ordered("ak", "sk", "security_token", "token");

    ProviderSettingsReader(SectionReader context) {
        super(context);
    }

    /** {@code credentials: { ak, sk [, security_token] }} or {@code { token }}; null, after reporting, when wrong. */
    Provider.Credentials credentials(YamlTree.Entry entry, String name, String where) {
        String what = where + ".credentials";
        Map<String, YamlTree.Entry> c = tree.mapping(entry.value(), what, CREDENTIAL_KEYS);
        if (c == null) {
            return null;
        }
        SourceRange at = tree.at(entry.value());
        boolean pair = c.containsKey("ak") || c.containsKey("sk") || c.containsKey("security_token");
        if (c.containsKey("token") && pair) {
            diagnostics.error(at, what + " gives both a token and an access key",
                    "Give either ak and sk (with security_token for a temporary key) or token, not both.");
            return null;
        }
        if (!c.containsKey("token") && !(c.containsKey("ak") && c.containsKey("sk"))) {
            String missing = c.containsKey("ak") ? "sk" : c.containsKey("sk") ? "ak" : "ak and sk";
            diagnostics.error(at, what + " is missing " + missing,
                    "Give ak and sk (with security_token for a temporary key), or token; e.g. ak: ${env:"
                            + variable(name, "ak") + "}, sk: ${env:" + variable(name, "sk") + "}.");
            return null;
        }
        Secret ak = reference(c, "ak", name, what);
        Secret sk = reference(c, "sk", name, what);
        Secret securityToken = reference(c, "security_token", name, what);
        Secret token = reference(c, "token", name, what);
        boolean complete = token != null || (ak != null && sk != null);
        boolean failed = (c.containsKey("security_token") && securityToken == null);
        return complete && !failed ? new Provider.Credentials(ak, sk, securityToken, token, at) : null;
    }

    /** One credential value: a reference, resolved; a literal is refused with the reference to write instead. */
    private Secret reference(Map<String, YamlTree.Entry> c, String key, String name, String what) {
        YamlTree.Entry entry = c.get(key);
        if (entry == null) {
            return null;
        }
        String raw = tree.scalar(entry.value(), what + "." + key);
        if (raw == null) {
            return null;
        }
        SourceRange at = tree.at(entry.value());
        String trimmed = raw.trim();
        boolean oneReference = trimmed.startsWith("${") && trimmed.indexOf('}') == trimmed.length() - 1;
        if (!oneReference) {
            // Never echo the value: it may be the secret itself.
            diagnostics.error(at, "a secret in the manifest: " + what + "." + key + " is written as a value",
                    "It would end up in version control. Write a reference to where it is kept, e.g. " + key
                            + ": ${env:" + variable(name, key) + "} or ${file:PATH}.");
            return null;
        }
        References.Resolved r = values.references().resolve(trimmed, at, what + "." + key);
        if (r == null) {
            return null;
        }
        String value = r.text().strip();
        if (value.isEmpty()) {
            diagnostics.error(at, what + "." + key + " is empty (" + trimmed + ")",
                    "Set the variable or file it names to the value.");
            return null;
        }
        return new Secret(value, trimmed, at);
    }

    /** The environment variable a message suggests: {@code EU_AK} for provider eu's ak. */
    static String variable(String provider, String key) {
        return (provider + "_" + key).toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The block's own run settings; each absent (or wrong, reported) one is null. */
    Provider.RunSettings runSettings(Map<String, YamlTree.Entry> p, String where) {
        Integer parallelism = null;
        if (p.containsKey("parallelism")) {
            String text = values.number(p.get("parallelism").value(), where + ".parallelism");
            try {
                parallelism = text == null ? null : Integer.valueOf(text);
            } catch (NumberFormatException e) {
                parallelism = -1;
            }
            if (parallelism != null && (parallelism < 1 || parallelism > 256)) {
                diagnostics.error(tree.at(p.get("parallelism").value()), where + ".parallelism '" + text
                        + "' is not a number of calls from 1 to 256", "It is how many API calls to this provider"
                        + " may run at once (the command line's --parallelism otherwise).");
                parallelism = null;
            }
        }
        Double rate = null;
        if (p.containsKey("rate")) {
            String text = values.string(p.get("rate").value(), where + ".rate");
            rate = text == null ? null : rate(text);
            if (text != null && rate == null) {
                diagnostics.error(tree.at(p.get("rate").value()), where + ".rate '" + text + "' is not a rate",
                        "Write calls per second, e.g. rate: 20/s (more than 0, at most 10000).");
            }
        }
        return new Provider.RunSettings(parallelism, rate, duration(p, "connect_timeout", where),
                duration(p, "read_timeout", where), duration(p, "call_timeout", where),
                duration(p, "settle_window", where));
    }

    /** {@code N/s} (or N) as calls per second, 0 < N <= 10000; null when it is not one. */
    static Double rate(String text) {
        String number = text.endsWith("/s") ? text.substring(0, text.length() - 2) : text;
        try {
            double value = Double.parseDouble(number);
            return value > 0 && value <= 10_000 ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private Duration duration(Map<String, YamlTree.Entry> p, String key, String where) {
        if (!p.containsKey(key)) {
            return null;
        }
        String text = values.string(p.get(key).value(), where + "." + key);
        if (text == null) {
            return null;
        }
        try {
            Duration d = Durations.parse(text);
            if (!d.isZero()) {
                return d;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        diagnostics.error(tree.at(p.get(key).value()), where + "." + key + " '" + text + "' is not a duration",
                "Write a duration above zero, e.g. 20ms, 2s, 1m or 1h.");
        return null;
    }
}
