package io.certform.base;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A domain-name pattern of the manifest's {@code match:}: labels separated by dots, where a label {@code *}
 * stands for exactly one label, {@code **} for one or more labels, and a {@code *} inside a label for any
 * characters within that label ({@code api-*}). Matching ignores case. Written once here: the manifest checks a
 * pattern's syntax with it, the remote read model selects domains with it.
 */
public final class NamePattern {

    private static final Pattern LABEL = Pattern.compile("^[a-z0-9*]([a-z0-9*-]{0,61}[a-z0-9*])?$");

    private final String text;
    private final Pattern regex;

    private NamePattern(String text, Pattern regex) {
        this.text = text;
        this.regex = regex;
    }

    /** The pattern, or why it is not one (a sentence for a diagnostic). */
    public static Result parse(String text) {
        if (text == null || text.isBlank()) {
            return new Result(null, "the pattern is empty");
        }
        String lower = text.trim().toLowerCase(Locale.ROOT);
        String[] labels = lower.split("\\.", -1);
        if (labels.length < 2) {
            return new Result(null, "a pattern has at least two labels, e.g. *.example.com");
        }
        List<String> parts = new ArrayList<>();
        boolean wild = false;
        for (String label : labels) {
            if (label.equals("**")) {
                parts.add("[a-z0-9-]+(\\.[a-z0-9-]+)*");
                wild = true;
                continue;
            }
            if (label.contains("**") || !LABEL.matcher(label).matches()) {
                return new Result(null, "'" + label + "' is not a label of a domain pattern: use letters, digits,"
                        + " '-', and '*' (one label) or '**' (one or more labels)");
            }
            wild |= label.contains("*");
            if (label.equals("*")) {
                parts.add("[a-z0-9-]+");
                continue;
            }
            parts.add(Pattern.quote(label).replace("*", "\\E[a-z0-9-]*\\Q"));
        }
        if (!wild) {
            return new Result(null, "'" + text + "' has no '*': name the domain with domain: instead");
        }
        String last = labels[labels.length - 1];
        if (last.contains("*")) {
            return new Result(null, "the last label (the top-level domain) cannot be a wildcard");
        }
        return new Result(new NamePattern(lower, Pattern.compile("^" + String.join("\\.", parts) + "$")), null);
    }

    /** A parsed pattern, or the reason it is not one. */
    public record Result(NamePattern pattern, String problem) {
        public Optional<NamePattern> ok() {
            return Optional.ofNullable(pattern);
        }
    }

    public boolean matches(String domain) {
        return domain != null && regex.matcher(domain.toLowerCase(Locale.ROOT)).matches();
    }

    /** The pattern as written (lower case). */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
