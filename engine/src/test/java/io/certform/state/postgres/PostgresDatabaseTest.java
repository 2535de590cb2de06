package io.certform.state.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One transaction per unit of work, whatever ends it. */
class PostgresDatabaseTest {

    private static String schema;

    @BeforeAll
    static void schema() {
        schema = TestPostgres.freshSchema();
    }

    @AfterAll
    static void dropSchema() {
        TestPostgres.dropSchema(schema);
    }

    /**
     * A unit of work cut short by an error that is no exception (out of memory mid-write: building a large
     * inventory insert) must leave nothing behind: its statements are not committed by the next unit of work on the
     * same connection, which would commit half a state write (a serial moved, an inventory half replaced).
     */
    @Test
    void workCutShortByOutOfMemory_isRolledBack_notCommittedByTheNextTransaction() throws Exception {
        PostgresLocation location = TestPostgres.location(schema, "ws");
        try (Connection c = TestPostgres.connect(location); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            s.execute("CREATE TABLE " + schema + ".t (v text)");
        }
        try (PostgresDatabase db = new PostgresDatabase(location)) {
            assertThrows(OutOfMemoryError.class, () -> db.transaction("writing", c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO " + schema + ".t VALUES ('half')");
                }
                throw new OutOfMemoryError("Java heap space");
            }));
            db.transaction("writing another thing", c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO " + schema + ".t VALUES ('whole')");
                }
                return null;
            });
        }
        try (Connection c = TestPostgres.connect(location); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT string_agg(v, ',' ORDER BY v) FROM " + schema + ".t")) {
            r.next();
            assertEquals("whole", r.getString(1));
        }
    }
}
