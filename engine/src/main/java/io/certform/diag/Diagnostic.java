package io.certform.diag;

import io.certform.base.SourceRange;

/**
 * One problem with the user's input.
 *
 * @param summary what is wrong, in one line
 * @param detail  why it matters and what to do; may be empty
 * @param range   where; null when the problem has no place in a file
 */
public record Diagnostic(Severity severity, String summary, String detail, SourceRange range) {
    public Diagnostic {
        detail = detail == null ? "" : detail;
    }

    public static Diagnostic error(SourceRange range, String summary, String detail) {
        return new Diagnostic(Severity.ERROR, summary, detail, range);
    }

    public static Diagnostic warning(SourceRange range, String summary, String detail) {
        return new Diagnostic(Severity.WARNING, summary, detail, range);
    }

    /** {@code file:line:column: error: summary}, the form compilers and editors understand. */
    public String headline() {
        String where = range == null ? "" : range + ": ";
        return where + severity.label().toLowerCase(java.util.Locale.ROOT) + ": " + summary;
    }
}
