package io.certform.testing;

import io.certform.state.State;
import io.certform.state.postgres.PostgresLocation;
import io.certform.state.postgres.PostgresStateStore;
import io.certform.state.postgres.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The PostgreSQL set-up of a test: the server at {@code CERTFORM_PG_URL}, else
 * {@code jdbc:postgresql://127.0.0.1:5432/test} as {@code postgres} (resolved and asked by {@link TestPostgres});
 * a fresh schema and workspace for each test, dropped after it. The server is asked when the test first needs it
 * (any method below), so that the tests of a class that need none run without one. Where no server answers, the test
 * is reported as skipped with the reason, or, with {@code CERTFORM_PG_REQUIRED=1} (as {@code .ci/run} sets it),
 * fails: never a silent pass.
 *
 * <pre>{@code
 * @RegisterExtension
 * final PostgresSchema pg = new PostgresSchema();
 * ... gateway.manifest().state(pg.stateLine()).write(dir, cert);
 * ... gateway.cli().env(pg.env()).run("apply", "--auto-approve", "-f", manifest.toString());
 * ... pg.state().resources();
 * }</pre>
 */
public final class PostgresSchema implements BeforeEachCallback, AfterEachCallback {

    private final Map<String, String> processEnv;
    private PostgresLocation location;

    /** The server the test process's environment names. */
    public PostgresSchema() {
        this(System.getenv());
    }

    /** The server {@code processEnv} names (its {@code CERTFORM_PG_URL} and {@code CERTFORM_PG_REQUIRED}). */
    public PostgresSchema(Map<String, String> processEnv) {
        this.processEnv = Map.copyOf(processEnv);
    }

    /** A new test: its schema is made when it first needs it. */
    @Override
    public void beforeEach(ExtensionContext context) {
        location = null;
    }

    /** Drops the test's schema, and everything certform or the test made in it. */
    @Override
    public void afterEach(ExtensionContext context) {
        if (location != null) {
            TestPostgres.drop(location);
        }
    }

    /** The URL certform is given ({@code CERTFORM_PG_URL}, user included), as a command line or child reads it. */
    public String url() {
        location();
        return TestPostgres.url(processEnv);
    }

    /** The environment that names the server to certform: {@code CERTFORM_PG_URL}. */
    public Map<String, String> env() {
        return Map.of(PostgresLocation.URL_VARIABLE, url());
    }

    public String schema() {
        return location().schema();
    }

    public String workspace() {
        return location().workspace();
    }

    /**
     * This test's schema and workspace on the server, named the first time the test asks; skips or fails the test
     * when no server answers.
     */
    public PostgresLocation location() {
        if (location == null) {
            location = TestPostgres.location(processEnv, TestPostgres.freshSchema(), TestPostgres.freshWorkspace());
        }
        return location;
    }

    /** The manifest's {@code state:} line for this test's schema and workspace, the URL read from the environment. */
    public String stateLine() {
        return stateLine("");
    }

    /** As {@link #stateLine()}, with more settings of the state block (e.g. {@code "lease: 10s"}). */
    public String stateLine(String more) {
        return "state: { backend: postgres, url: \"${env:" + PostgresLocation.URL_VARIABLE + "}\", schema: " + schema()
                + ", workspace: " + workspace() + (more.isEmpty() ? "" : ", " + more) + " }";
    }

    /** A plain connection for the test's own SQL. */
    public Connection connect() throws SQLException {
        return TestPostgres.connect(location());
    }

    /** The state certform wrote in this test's workspace, read back. */
    public State state() throws Exception {
        try (PostgresStateStore store = new PostgresStateStore(location(), "t")) {
            return store.read();
        }
    }
}
