package io.certform.base;

import java.util.regex.Pattern;

/**
 * The rules for what a PostgreSQL state is named by, shared by the manifest (which reports a wrong name at its
 * line) and the state store (which refuses one): schema and workspace names, and a URL with its password hidden.
 */
public final class PostgresNames {

    private static final Pattern SCHEMA = Pattern.compile("^[a-z_][a-z0-9_]{0,62}$");
    private static final Pattern WORKSPACE = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$");

    private PostgresNames() {
    }

    /** What is wrong with a schema name, or null. */
    public static String schemaProblem(String schema) {
        return SCHEMA.matcher(schema).matches() ? null : "schema '" + schema + "' is not a plain PostgreSQL name: use"
                + " 1 to 63 lower-case letters, digits or '_', starting with a letter or '_'";
    }

    /** What is wrong with a workspace name, or null. */
    public static String workspaceProblem(String workspace) {
        return WORKSPACE.matcher(workspace).matches() ? null : "workspace '" + workspace + "' is not a valid name: use"
                + " 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit";
    }

    /**
     * {@code text} with any password in a URL's user info (up to the last '@' before the query: a password may hold
     * '/' or '@') or parameters replaced by {@code ***}.
     */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        return text.replaceAll("(?i)(password=)[^&\\s]*", "$1***")
                .replaceAll("(://[^:/@\\s]*:)[^\\s?]*@", "$1***@");
    }
}
