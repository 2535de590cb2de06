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

    private static String unavailable;
    private static boolean checked;

    private TestPostgres() {
    }

    /** The environment the tests resolve the server from. */
    public static Environment environment() {
        String url = System.getenv(PostgresLocation.URL_VARIABLE);
        Map<String, String> env = url != null ? Map.of(PostgresLocation.URL_VARIABLE, url)
                : Map.of(PostgresLocation.URL_VARIABLE, "jdbc:postgresql://127.0.0.1:5432/test", "PGUSER", "postgres");
        return env::get;
    }

    /** The URL as a child process is given it (CERTFORM_PG_URL, user included). */
    public static String url() {
        String url = System.getenv(PostgresLocation.URL_VARIABLE);
        return url != null ? url : "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    }

    /** A location in {@code schema}, workspace {@code workspace}; skips (or fails) the test when no server answers. */
    public static PostgresLocation location(String schema, String workspace) {
        PostgresLocation location = PostgresLocation.resolve(null, schema, workspace, Duration.ofSeconds(30),
                environment());
        requireServer(location);
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

    private static synchronized void requireServer(PostgresLocation location) {
        if (!checked) {
            checked = true;
            try (Connection c = connect(location); Statement s = c.createStatement()) {
                s.execute("SELECT 1");
            } catch (SQLException e) {
                unavailable = "no PostgreSQL server answers at " + location.display() + " (" + e.getMessage()
                        + "); set CERTFORM_PG_URL to run the PostgreSQL backend's tests";
            }
        }
        if (unavailable != null) {
            if ("1".equals(System.getenv(REQUIRED))) {
                Assertions.fail(unavailable + " (" + REQUIRED + "=1: a server is required here)");
            }
            Assumptions.abort(unavailable);
        }
    }
}
