package io.certform.state.postgres;

import io.certform.base.Environment;
import io.certform.base.PostgresNames;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where a PostgreSQL state lives: the server (a JDBC URL without credentials), the credentials, the schema holding
 * certform's tables, the workspace (one state per workspace) and the lease length. The password is never part of
 * {@link #display()} or {@link #toString()}.
 *
 * <p>The URL comes from the manifest's {@code url}, else {@code CERTFORM_PG_URL}, else the libpq variables
 * ({@code PGHOST}, {@code PGPORT}, {@code PGDATABASE}, {@code PGUSER}, {@code PGPASSWORD}, {@code PGSSLMODE},
 * {@code PGSSLROOTCERT}, {@code PGSSLCERT}, {@code PGSSLKEY}); {@code PGUSER}, {@code PGPASSWORD} and
 * {@code PGSSLMODE} also fill what a URL leaves out. {@code jdbc:postgresql://}, {@code postgresql://} and
 * {@code postgres://} URLs are read; their other parameters (TLS: {@code sslmode}, {@code sslrootcert}, ...) are passed
 * to the driver as they are.
 */
public record PostgresLocation(String jdbcUrl, String user, Secret password, String schema, String workspace,
                               Duration lease) {

    /** The variable that names the server when the manifest does not. */
    public static final String URL_VARIABLE = "CERTFORM_PG_URL";
    public static final String DEFAULT_SCHEMA = "certform";
    public static final String DEFAULT_WORKSPACE = "default";
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);

    /** A password that never prints. */
    public record Secret(String value) {
        @Override
        public String toString() {
            return value == null ? "(none)" : "(redacted)";
        }
    }

    public PostgresLocation {
        String problem = schemaProblem(schema);
        if (problem == null) {
            problem = workspaceProblem(workspace);
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("the lease must last at least 1s, not " + lease);
        }
    }

    /** What is wrong with a schema name, or null ({@link PostgresNames#schemaProblem}). */
    public static String schemaProblem(String schema) {
        return PostgresNames.schemaProblem(schema);
    }

    /** What is wrong with a workspace name, or null ({@link PostgresNames#workspaceProblem}). */
    public static String workspaceProblem(String workspace) {
        return PostgresNames.workspaceProblem(workspace);
    }

    /**
     * Resolves the server from {@code url} (null: from the environment) and the environment.
     *
     * @throws IllegalArgumentException naming what is wrong (never the password)
     */
    public static PostgresLocation resolve(String url, String schema, String workspace, Duration lease,
                                           Environment environment) {
        String given = blankToNull(url);
        if (given == null) {
            given = blankToNull(environment.get(URL_VARIABLE));
        }
        if (given == null && java.util.stream.Stream.of("PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER",
                "PGSERVICE").allMatch(name -> blankToNull(environment.get(name)) == null)) {
            throw new IllegalArgumentException("no PostgreSQL server is named: set state.url (e.g. url:"
                    + " ${env:" + URL_VARIABLE + "}), " + URL_VARIABLE + ", or the libpq variables (PGHOST, PGPORT,"
                    + " PGDATABASE, PGUSER); certform does not guess a server");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        String hosts;
        String database;
        String user = null;
        String password = null;
        if (given != null) {
            String rest = given;
            if (rest.startsWith("jdbc:")) {
                rest = rest.substring("jdbc:".length());
            }
            String scheme = rest.contains("://") ? rest.substring(0, rest.indexOf("://")).toLowerCase(Locale.ROOT) : "";
            if (!scheme.equals("postgresql") && !scheme.equals("postgres")) {
                throw new IllegalArgumentException("the state URL is not a PostgreSQL URL (" + redact(given)
                        + "): write jdbc:postgresql://host:5432/database (or postgres://...)");
            }
            rest = rest.substring(rest.indexOf("://") + 3);
            int query = rest.indexOf('?');
            String queryText = query < 0 ? "" : rest.substring(query + 1);
            rest = query < 0 ? rest : rest.substring(0, query);
            // the credentials end at the last '@': a password may hold an unescaped '/' or '@' (a generated one often
            // does), and reading it as the host or the database would print it in every error
            int at = rest.lastIndexOf('@');
            if (at >= 0) {
                String userInfo = rest.substring(0, at);
                rest = rest.substring(at + 1);
                int colon = userInfo.indexOf(':');
                user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
                password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
            }
            int slash = rest.indexOf('/');
            String authority = slash < 0 ? rest : rest.substring(0, slash);
            database = slash < 0 ? "" : decode(rest.substring(slash + 1));
            hosts = authority.isEmpty() ? "localhost" : authority;
            for (String pair : queryText.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                switch (key) {
                    case "user" -> user = value;
                    case "password" -> password = value;
                    default -> parameters.put(key, value);
                }
            }
        } else {
            String host = orDefault(environment.get("PGHOST"), "localhost");
            String port = orDefault(environment.get("PGPORT"), "5432");
            hosts = host.contains(":") && !host.startsWith("[") ? "[" + host + "]:" + port : host + ":" + port;
            database = orDefault(environment.get("PGDATABASE"), "");
            putIfSet(parameters, "sslrootcert", environment.get("PGSSLROOTCERT"));
            putIfSet(parameters, "sslcert", environment.get("PGSSLCERT"));
            putIfSet(parameters, "sslkey", environment.get("PGSSLKEY"));
            putIfSet(parameters, "ApplicationName", environment.get("PGAPPNAME"));
            putIfSet(parameters, "connectTimeout", environment.get("PGCONNECT_TIMEOUT"));
        }
        if (user == null) {
            user = blankToNull(environment.get("PGUSER"));
        }
        if (user == null) {
            user = orDefault(environment.get("USER"), System.getProperty("user.name", "postgres"));
        }
        if (password == null) {
            password = blankToNull(environment.get("PGPASSWORD"));
        }
        if (!parameters.containsKey("sslmode")) {
            putIfSet(parameters, "sslmode", environment.get("PGSSLMODE"));
        }
        if (database.isEmpty()) {
            database = user;
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(hosts).append('/').append(database);
        char separator = '?';
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            jdbc.append(separator).append(p.getKey()).append('=').append(p.getValue());
            separator = '&';
        }
        return new PostgresLocation(jdbc.toString(), user, new Secret(password),
                schema == null ? DEFAULT_SCHEMA : schema, workspace == null ? DEFAULT_WORKSPACE : workspace,
                lease == null ? DEFAULT_LEASE : lease);
    }

    /** The same server and schema, another workspace. */
    public PostgresLocation withWorkspace(String other) {
        return new PostgresLocation(jdbcUrl, user, password, schema, other, lease);
    }

    /** The same server, another schema. */
    public PostgresLocation withSchema(String other) {
        return new PostgresLocation(jdbcUrl, user, password, other, workspace, lease);
    }

    /** The same place, another lease length. */
    public PostgresLocation withLease(Duration other) {
        return new PostgresLocation(jdbcUrl, user, password, schema, workspace, other);
    }

    /** What the driver is given: the user, the password, and settings that keep a connection free of session state. */
    Properties properties() {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password.value() != null) {
            properties.setProperty("password", password.value());
        }
        if (!jdbcUrl.contains("ApplicationName=")) {
            properties.setProperty("ApplicationName", "certform");
        }
        if (!jdbcUrl.contains("connectTimeout=")) {
            properties.setProperty("connectTimeout", "10");
        }
        // No named server-side prepared statements: they are session state, which PgBouncer's transaction mode breaks.
        if (!jdbcUrl.contains("prepareThreshold=")) {
            properties.setProperty("prepareThreshold", "0");
        }
        // A server that stops answering (a partition, a frozen host) fails the statement instead of holding the run
        // forever: no statement of certform's waits long, and one that outlasts the lease is fenced anyway. Twice the
        // lease: a run taking over may wait up to one lease for a paused holder's transaction to be ended (the
        // server's idle_in_transaction_session_timeout, set to the lease when certform connects).
        if (!jdbcUrl.contains("socketTimeout=")) {
            properties.setProperty("socketTimeout", String.valueOf(Math.max(10, 2 * lease.toSeconds() + 5)));
        }
        properties.setProperty("tcpKeepAlive", "true");
        return properties;
    }

    /** The server, database, schema and workspace, for messages: never a password. */
    public String display() {
        return redact(jdbcUrl) + " (user " + user + ", schema " + schema + ", workspace " + workspace + ")";
    }

    /** The server, user and schema, without the workspace: for text that names the workspace itself. */
    public String displayServer() {
        return redact(jdbcUrl) + " (user " + user + ", schema " + schema + ")";
    }

    @Override
    public String toString() {
        return display();
    }

    /** {@code text} with any password in it replaced by {@code ***} ({@link PostgresNames#redact}). */
    public static String redact(String text) {
        return PostgresNames.redact(text);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // the decoder's message quotes the text, which may be the password
            throw new IllegalArgumentException("the state URL has a malformed %-escape in its credentials, database"
                    + " or parameters: write '%' as %25 and each escape as % and two hex digits");
        }
    }

    private static void putIfSet(Map<String, String> parameters, String key, String value) {
        if (blankToNull(value) != null) {
            parameters.put(key, value);
        }
    }

    private static String orDefault(String value, String fallback) {
        String v = blankToNull(value);
        return v == null ? fallback : v;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
