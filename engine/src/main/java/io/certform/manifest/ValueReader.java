package io.certform.manifest;

import io.certform.base.Secret;

import io.certform.diag.Diagnostics;
import io.certform.base.SourceRange;
import java.util.Map;

/**
 * Reads typed values of the manifest (strings with references resolved, ids, certificate types, day counts,
 * secrets), reporting each problem as a diagnostic at the value's position and returning null.
 */
final class ValueReader {

    private final YamlTree tree;
    private final References references;
    private final Diagnostics diagnostics;

    ValueReader(YamlTree tree, References references, Diagnostics diagnostics) {
        this.tree = tree;
        this.references = references;
        this.diagnostics = diagnostics;
    }

    References references() {
        return references;
    }

    /** A secret value: it must come from a reference, never be written in the manifest. */
    Secret secret(Map<String, YamlTree.Entry> c, String key, String where, SourceRange range,
                  boolean required) {
        SourceValue value = resolved(c, key, where, range, required);
        if (value == null) {
            return null;
        }
        if (value.origin().equals("manifest")) {
            String what = key.equals("private_key") ? "its private key" : "its " + key;
            diagnostics.error(value.range(), where + " has " + what + " written in the manifest",
                    "A secret in the manifest ends up in version control. Use ${env:NAME} or ${file:PATH}.");
            return null;
        }
        return new Secret(value.text(), value.origin(), value.range());
    }

    Integer days(YamlTree.Entry entry, String what) {
        if (entry == null) {
            return null;
        }
        String value = number(entry.value(), what);
        if (value == null) {
            return null;
        }
        try {
            int days = Integer.parseInt(value);
            if (days >= 0 && days <= 3650) {
                return days;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        diagnostics.error(tree.at(entry.value()), what + " '" + value + "' is not a number of days",
                "Write a whole number from 0 to 3650.");
        return null;
    }

    SourceValue resolved(Map<String, YamlTree.Entry> c, String key, String where, SourceRange range,
                          boolean required) {
        YamlTree.Entry entry = c.get(key);
        if (entry == null) {
            if (required) {
                diagnostics.error(range, where + " is missing '" + key + "'", hint(key));
            }
            return null;
        }
        String raw = tree.scalar(entry.value(), where + " " + key);
        if (raw == null) {
            return null;
        }
        SourceRange at = tree.at(entry.value());
        References.Resolved r = references.resolve(raw, at, where + " " + key);
        return r == null ? null : new SourceValue(r.text(), r.origin(), at);
    }

    String required(Map<String, YamlTree.Entry> c, String key, String where, SourceRange range) {
        YamlTree.Entry entry = c.get(key);
        if (entry == null) {
            diagnostics.error(range, where + " is missing '" + key + "'", hint(key));
            return null;
        }
        return string(entry.value(), where + " " + key);
    }

    String string(YamlNode node, String what) {
        String raw = tree.scalar(node, what);
        if (raw == null) {
            return null;
        }
        if (raw.indexOf('$') < 0) {
            return raw; // no reference: the text itself (as References.resolve gives it), without its position
        }
        References.Resolved r = references.resolve(raw, tree.at(node), what);
        return r == null ? null : r.text();
    }

    /**
     * A value meant as a whole number: its text, or, for an unquoted float with nothing after the point
     * ({@code 30.0}, {@code 3e1}), the whole number it is. JSON Schema and every YAML tool read {@code 30.0} as the
     * number 30, so certform does too; {@code "30.0"} (quoted) stays text.
     */
    String number(YamlNode node, String what) {
        return wholeNumber(node, string(node, what));
    }

    /** {@code text}, the value of {@code node}, as the whole number an unquoted {@code 30.0} is. */
    static String wholeNumber(YamlNode node, String text) {
        if (text != null && node instanceof YamlNode.Scalar scalar && scalar.isFloat()) {
            try {
                java.math.BigDecimal n = new java.math.BigDecimal(text).stripTrailingZeros();
                if (n.scale() <= 0 && n.abs().compareTo(java.math.BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0) {
                    return n.toBigIntegerExact().toString();
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // .inf, .nan, a fraction: kept as written, and refused as written
            }
        }
        return text;
    }

    String id(YamlTree.Entry entry, String what) {
        if (entry == null) {
            return null;
        }
        if (entry.value() instanceof YamlNode.Scalar scalar && scalar.isBoolean()) {
            diagnostics.error(tree.at(entry.value()), what + " is the boolean " + scalar.value() + ", not an id",
                    "Write the id as the console shows it; an id that is really the word '" + scalar.value()
                            + "' goes in quotes.");
            return null;
        }
        String value = string(entry.value(), what);
        if (value != null && !NameRules.isId(value)) {
            diagnostics.error(tree.at(entry.value()), what + " '" + value + "' is not a valid id",
                    "Ids are 1 to 64 letters, digits, '_' or '-', as the console shows them.");
            return null;
        }
        return value;
    }

    String type(YamlTree.Entry entry, String what) {
        if (entry == null) {
            return null;
        }
        String value = string(entry.value(), what);
        if (value != null && !value.equals("global") && !value.equals("instance")) {
            diagnostics.error(tree.at(entry.value()), what + " '" + value + "' is not a certificate type",
                    "Use 'global' (all instances) or 'instance' (one instance).");
            return null;
        }
        return value;
    }

    private static String hint(String key) {
        return switch (key) {
            case "name" -> "Give the certificate's name in the API, e.g. name: shop_api_2026.";
            case "cert_content" -> "Point it at the PEM bundle, e.g. cert_content: ${file:certs/site.crt}, or have the"
                    + " certificate issued by ACME with an acme: block instead.";
            case "private_key" -> "Point it at the key, e.g. private_key: ${env:SITE_KEY}.";
            default -> "";
        };
    }
}
