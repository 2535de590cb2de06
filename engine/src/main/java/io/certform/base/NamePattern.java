package io.certform.base;

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
    /** The pattern's labels, lower case: {@code **}, {@code *}, or a label with {@code *} inside or none. */
    private final String[] labels;

    private NamePattern(String text, String[] labels) {
        this.text = text;
        this.labels = labels;
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
        boolean wild = false;
        for (String label : labels) {
            if (label.equals("**")) {
                wild = true;
                continue;
            }
            if (label.contains("**") || !LABEL.matcher(label).matches()) {
                return new Result(null, "'" + label + "' is not a label of a domain pattern: use letters, digits,"
                        + " '-', and '*' (one label) or '**' (one or more labels)");
            }
            wild |= label.contains("*");
        }
        if (!wild) {
            return new Result(null, "'" + text + "' has no '*': name the domain with domain: instead");
        }
        String last = labels[labels.length - 1];
        if (last.contains("*")) {
            return new Result(null, "the last label (the top-level domain) cannot be a wildcard");
        }
        return new Result(new NamePattern(lower, labels), null);
    }

    /** A parsed pattern, or the reason it is not one. */
    public record Result(NamePattern pattern, String problem) {
        public Optional<NamePattern> ok() {
            return Optional.ofNullable(pattern);
        }
    }

    /**
     * Whether the domain matches, in time proportional to the pattern's labels times the name's (no backtracking:
     * the names come from the gateway, and a pattern of many {@code *} must not stall a plan on one of them).
     */
    public boolean matches(String domain) {
        if (domain == null) {
            return false;
        }
        String[] names = domain.toLowerCase(Locale.ROOT).split("\\.", -1);
        for (String name : names) {
            if (name.isEmpty() || !name.chars().allMatch(NamePattern::labelChar)) {
                return false;
            }
        }
        int p = labels.length;
        int n = names.length;
        // at[i][j]: labels[i..] match names[j..]
        boolean[][] at = new boolean[p + 1][n + 1];
        at[p][n] = true;
        for (int i = p - 1; i >= 0; i--) {
            for (int j = n - 1; j >= 0; j--) {
                if (labels[i].equals("**")) {
                    // one label here, then either the rest of the pattern or more of this '**'
                    at[i][j] = at[i + 1][j + 1] || at[i][j + 1];
                } else {
                    at[i][j] = at[i + 1][j + 1] && label(labels[i], names[j]);
                }
            }
        }
        return at[0][0];
    }

    private static boolean labelChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    }

    /** One label against one pattern label, {@code *} standing for any run within it (greedy, no backtracking blow-up). */
    private static boolean label(String pattern, String name) {
        if (pattern.equals("*")) {
            return !name.isEmpty();
        }
        int p = 0;
        int n = 0;
        int star = -1;
        int mark = 0;
        while (n < name.length()) {
            if (p < pattern.length() && pattern.charAt(p) != '*' && pattern.charAt(p) == name.charAt(n)) {
                p++;
                n++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = n;
            } else if (star >= 0) {
                p = star + 1;
                n = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
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
