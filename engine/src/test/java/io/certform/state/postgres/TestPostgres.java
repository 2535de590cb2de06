package io.certform.state.postgres;

import io.certform.base.Environment;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server the backend's tests run against: {@code CERTFORM_PG_URL}, else
 * {@code jdbc:postgresql://127.0.0.1:5432/test} as {@code postgres}. Without an answering server the tests are
 * skipped with the reason; with {@code CERTFORM_PG_REQUIRED=1} (as {@code .ci/run} sets it) they fail instead.
 * Each test class works in a schema of its own, each test in a workspace of its own.
 */
public final class TestPostgres {

    /** The variable that turns "no server" from a skip into a failure. */
    public static final String REQUIRED = "CERTFORM_PG_REQUIRED";

    private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    /** Why no server answers ("" when one does), by server: each is asked once per test JVM. */
    private static final Map<String, String> UNAVAILABLE = new java.util.HashMap<>();

    private TestPostgres() {
    }

    /** The environment the tests resolve the server from. */
    public static Environment environment() {
        return environment(System.getenv());
    }

    /** The environment the server is resolved from, as {@code processEnv} names it. */
    private static Environment environment(Map<String, String> processEnv) {
        String url = processEnv.get(PostgresLocation.URL_VARIABLE);
        Map<String, String> env = url != null ? Map.of(PostgresLocation.URL_VARIABLE, url)
                : Map.of(PostgresLocation.URL_VARIABLE, DEFAULT_URL, "PGUSER", "postgres");
        return env::get;
    }

    /** The URL as a child process is given it (CERTFORM_PG_URL, user included). */
    public static String url() {
        return url(System.getenv());
    }

    /** The URL {@code processEnv} names, user included: CERTFORM_PG_URL, else the local server as postgres. */
    public static String url(Map<String, String> processEnv) {
        String url = processEnv.get(PostgresLocation.URL_VARIABLE);
        return url != null ? url : DEFAULT_URL + "?user=postgres";
    }

    /** A location in {@code schema}, workspace {@code workspace}; skips (or fails) the test when no server answers. */
    public static PostgresLocation location(String schema, String workspace) {
        return location(System.getenv(), schema, workspace);
    }

    /**
     * As {@link #location(String, String)}, on the server {@code processEnv} names (its CERTFORM_PG_URL), failing
     * rather than skipping when it has CERTFORM_PG_REQUIRED=1.
     */
    public static PostgresLocation location(Map<String, String> processEnv, String schema, String workspace) {
        PostgresLocation location = PostgresLocation.resolve(null, schema, workspace, Duration.ofSeconds(30),
                environment(processEnv));
        requireServer(location, "1".equals(processEnv.get(REQUIRED)));
        return location;
    }

    /** A new schema name, unique to the caller. */
    public static String freshSchema() {
        return "certform_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** A new workspace name. */
    public static String freshWorkspace() {
        return "ws-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A plain connection for a test's own SQL. */
    public static Connection connect(PostgresLocation location) throws SQLException {
        Connection c = new org.postgresql.Driver().connect(location.jdbcUrl(), location.properties());
        c.setAutoCommit(true);
        return c;
    }

    /** Drops a test's schema and all in it. */
    public static void drop(PostgresLocation location) {
        try (Connection c = connect(location); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + location.schema() + " CASCADE");
        } catch (SQLException ignored) {
            // a schema left behind harms no other test: each uses its own
        }
    }

    /** Drops {@code schema} after a test class; nothing to do when no server answered (nothing was created). */
    public static void dropSchema(String schema) {
        try {
            drop(location(schema, "cleanup"));
        } catch (org.opentest4j.TestAbortedException e) {
            // no server: nothing was created
        }
    }

    private static void requireServer(PostgresLocation location, boolean required) {
        String unavailable;
        synchronized (UNAVAILABLE) {
            unavailable = UNAVAILABLE.computeIfAbsent(location.jdbcUrl() + " as " + location.user(),
                    server -> {
                        try (Connection c = connect(location); Statement s = c.createStatement()) {
                            s.execute("SELECT 1");
                            return "";
                        } catch (SQLException e) {
                            return "no PostgreSQL server answers at " + location.display() + " (" + e.getMessage()
                                    + "); set CERTFORM_PG_URL to run the PostgreSQL backend's tests";
                        }
                    });
        }
        if (!unavailable.isEmpty()) {
            if (required) {
                Assertions.fail(unavailable + " (" + REQUIRED + "=1: a server is required here)");
            }
            Assumptions.abort(unavailable);
        }
    }
}
