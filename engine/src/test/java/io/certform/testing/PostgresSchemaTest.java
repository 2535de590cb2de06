package io.certform.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The PostgreSQL set-up: a fresh schema per test, dropped after; no server is a skip with the reason, or a failure. */
class PostgresSchemaTest {

    /** A port nothing listens on (1, tcpmux, is never served here). */
    private static final String NO_SERVER = "jdbc:postgresql://127.0.0.1:1/test?user=postgres&connectTimeout=2";

    @Test
    void noServer_isASkip_withTheReason() {
        PostgresSchema pg = new PostgresSchema(Map.of("CERTFORM_PG_URL", NO_SERVER));
        pg.beforeEach(null);
        TestAbortedException skipped = assertThrows(TestAbortedException.class, pg::location);
        assertTrue(skipped.getMessage().contains("no PostgreSQL server answers at jdbc:postgresql://127.0.0.1:1/test"),
                skipped.getMessage());
        assertTrue(skipped.getMessage().contains("set CERTFORM_PG_URL"), skipped.getMessage());
        pg.afterEach(null); // nothing was made: nothing to drop, and no error
    }

    @Test
    void noServer_whereOneIsRequired_isAFailure() {
        PostgresSchema pg = new PostgresSchema(Map.of("CERTFORM_PG_URL", NO_SERVER, "CERTFORM_PG_REQUIRED", "1"));
        pg.beforeEach(null);
        AssertionFailedError failed = assertThrows(AssertionFailedError.class, pg::stateLine);
        assertTrue(failed.getMessage().contains("CERTFORM_PG_REQUIRED=1: a server is required here"),
                failed.getMessage());
    }

    @Test
    void eachTest_getsAFreshSchema_droppedAfterIt() throws Exception {
        PostgresSchema first = new PostgresSchema();
        PostgresSchema second = new PostgresSchema();
        first.beforeEach(null);
        second.beforeEach(null);
        first.location(); // skips this test (or fails it, where required) without a server
        try {
            assertFalse(first.schema().equals(second.schema()), "two tests share a schema");
            assertFalse(first.workspace().equals(second.workspace()), "two tests share a workspace");
            try (Connection c = first.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + first.schema());
            }
            assertTrue(first.stateLine().contains("schema: " + first.schema() + ", workspace: " + first.workspace()),
                    first.stateLine());
            assertEquals(Map.of("CERTFORM_PG_URL", first.url()), first.env());
        } finally {
            first.afterEach(null);
            second.afterEach(null);
        }
        assertFalse(schemaExists(second, first.schema()), "the schema outlived its test");
    }

    private static boolean schemaExists(PostgresSchema pg, String schema) throws Exception {
        try (Connection c = pg.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT 1 FROM information_schema.schemata WHERE schema_name = '"
                     + schema + "'")) {
            return r.next();
        }
    }
}
