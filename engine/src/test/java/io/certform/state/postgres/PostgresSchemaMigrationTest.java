package io.certform.state.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.Sleeper;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.state.StateStore;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A database that certform of schema version 1 made and wrote (a deposed object marked in its address, in the state
 * document and in the inventory) migrates on first use by a writing command: the inventory gets its {@code deposed}
 * column, its rows are split, and a live and a deposed object at one address are two rows from then on.
 */
class PostgresSchemaMigrationTest {

    private static final String DOCUMENT = """
            {"format_version": 1, "certform_version": "0.1.0", "lineage": "L", "serial": 7, "resources": [
              {"address": "shop[a.example.com]", "certificate": "shop", "domain_id": "d1", "ssl_id": "new"},
              {"address": "shop[a.example.com]#deposed-old", "certificate": "shop", "domain_id": "d1",
               "ssl_id": "old"}]}""";

    private final String schema = TestPostgres.freshSchema();
    private final PostgresLocation location = TestPostgres.location(schema, "prod");
    private PostgresStateStore store;

    @AfterEach
    void drop() {
        if (store != null) {
            store.close();
        }
        TestPostgres.dropSchema(schema);
    }

    @Test
    void aVersionOneDatabase_migratesOnFirstWrite_andKeepsALiveAndADeposedObjectAtOneAddressApart() throws Exception {
        execute(PostgresSchema.script(schema, 1));
        execute("INSERT INTO " + schema + ".certform_workspace (workspace, lineage, serial) VALUES ('prod', 'L', 7);"
                + "INSERT INTO " + schema + ".certform_state (workspace, serial, lineage, certform_version, resources,"
                + " state) VALUES ('prod', 7, 'L', '0.1.0', 2, '" + DOCUMENT + "');"
                + "INSERT INTO " + schema + ".certform_binding (workspace, address, certificate, ssl_id, model,"
                + " state_serial) VALUES ('prod', 'shop[a.example.com]', 'shop', 'new', 'per-domain', 7),"
                + " ('prod', 'shop[a.example.com]#deposed-old', 'shop', 'old', 'per-domain', 7)");
        store = new PostgresStateStore(location, "1.0", Clock.systemUTC(), Sleeper.SYSTEM, Sleeper.SYSTEM,
                StateStore.COMPACT_AT);

        State read = store.read(); // a read-only command reads a version-1 schema as it is
        assertEquals(List.of("shop[a.example.com]", "shop[a.example.com] (deposed old)"),
                read.resources().stream().map(ResourceState::key).toList());
        assertEquals(List.of(List.of("1")), query("SELECT version FROM " + schema + ".certform_schema"));

        store.checkWritable(); // what a writing command does first: migrates
        assertEquals(List.of(List.of("1"), List.of("2"), List.of("3")),
                query("SELECT version FROM " + schema + ".certform_schema ORDER BY version"));
        String rows = "SELECT address, deposed, ssl_id FROM " + schema + ".certform_binding ORDER BY deposed";
        assertEquals(List.of(List.of("shop[a.example.com]", "", "new"), List.of("shop[a.example.com]", "old", "old")),
                query(rows), "version 1's rows split as the state reader splits its documents");

        store.write(read.next(read.resources(), "1.0"));
        assertEquals(List.of(List.of("shop[a.example.com]", "", "new"), List.of("shop[a.example.com]", "old", "old")),
                query(rows), "both rows written again, one address");
        String document = query("SELECT state::text FROM " + schema + ".certform_state WHERE serial = 8").get(0).get(0);
        assertTrue(document.contains("\"format_version\": 3") && document.contains("\"deposed\": \"old\"")
                && !document.contains("#deposed"), document);
        assertEquals(read, store.version(7).orElseThrow(), "the version-1 document still reads");
    }

    private void execute(String sql) throws SQLException {
        PostgresStateStoreTest.execute(location, sql);
    }

    private List<List<String>> query(String sql) throws SQLException {
        return PostgresStateStoreTest.query(location, sql);
    }

    private static final String FORMAT_TWO = """
            {"format_version": 2, "certform_version": "0.2.0", "lineage": "L", "serial": 7,
             "gateway": {"service": "roma", "endpoint": "embedded", "project_id": "p1"}, "resources": [
              {"address": "shop[a.example.com]", "certificate": "shop", "domain_id": "d1", "ssl_id": "new"},
              {"address": "shop[a.example.com]", "deposed": "old", "certificate": "shop", "domain_id": "d1",
               "ssl_id": "old"}]}""";

    @Test
    void aVersionTwoDatabase_migratesOnFirstWrite_givingEveryRowItsProvider_andKeepsTheFormatTwoDocument()
            throws Exception {
        execute(PostgresSchema.script(schema, 2));
        execute("INSERT INTO " + schema + ".certform_workspace (workspace, lineage, serial) VALUES ('prod', 'L', 7);"
                + "INSERT INTO " + schema + ".certform_state (workspace, serial, lineage, certform_version, resources,"
                + " state) VALUES ('prod', 7, 'L', '0.2.0', 2, '" + FORMAT_TWO + "');"
                + "INSERT INTO " + schema + ".certform_binding (workspace, address, deposed, certificate, ssl_id, model,"
                + " state_serial) VALUES ('prod', 'shop[a.example.com]', '', 'shop', 'new', 'per-domain', 7),"
                + " ('prod', 'shop[a.example.com]', 'old', 'shop', 'old', 'per-domain', 7),"
                + " ('other', 'provider.eu.shop[b.example.com]', '', 'shop', 's3', 'per-domain', 7)");
        store = new PostgresStateStore(location, "1.0", Clock.systemUTC(), Sleeper.SYSTEM, Sleeper.SYSTEM,
                StateStore.COMPACT_AT);

        State read = store.read(); // a read-only command reads a version-2 schema as it is
        assertEquals(2, read.formatVersion());
        assertEquals(java.util.Map.of("default", new io.certform.state.Gateway("roma", "embedded", "p1")),
                read.gateways(), "format 2's gateway is the default provider's");
        assertEquals(List.of(List.of("1"), List.of("2")), query("SELECT version FROM " + schema
                + ".certform_schema ORDER BY version"), "a read migrates nothing");

        store.checkWritable(); // what a writing command does first: migrates
        assertEquals(List.of(List.of("1"), List.of("2"), List.of("3")),
                query("SELECT version FROM " + schema + ".certform_schema ORDER BY version"));
        String rows = "SELECT workspace, address, deposed, provider FROM " + schema + ".certform_binding"
                + " ORDER BY workspace, deposed";
        assertEquals(List.of(List.of("other", "provider.eu.shop[b.example.com]", "", "eu"),
                List.of("prod", "shop[a.example.com]", "", "default"),
                List.of("prod", "shop[a.example.com]", "old", "default")), query(rows),
                "the rows the previous version wrote are the default provider's, or the provider their address names");

        store.write(read.next(read.resources(), "1.0"));
        String document = query("SELECT state::text FROM " + schema + ".certform_state WHERE serial = 8").get(0).get(0);
        assertTrue(document.contains("\"format_version\": 3") && document.contains("\"gateways\": {\"default\"")
                && document.contains("\"provider\": \"default\"") && !document.contains("\"gateway\":"), document);
        String previous = query("SELECT state::text FROM " + schema + ".certform_state WHERE serial = 7").get(0).get(0);
        assertTrue(previous.contains("\"format_version\": 2") && previous.contains("\"gateway\": {")
                && !previous.contains("provider"), "the format-2 version is kept as it was written: " + previous);
        assertEquals(read, store.version(7).orElseThrow(), "and still reads");
        assertEquals(List.of(8L, 7L), store.history().stream().map(io.certform.state.StateVersion::serial).toList());
        assertEquals(read.gateways(), store.read().gateways());
        assertEquals(List.of(List.of("prod", "shop[a.example.com]", "", "default"),
                List.of("prod", "shop[a.example.com]", "old", "default")),
                query(rows + " LIMIT 2 OFFSET 1"), "written again with their provider");
    }
}
