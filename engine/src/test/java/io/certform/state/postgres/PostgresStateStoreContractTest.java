package io.certform.state.postgres;

import io.certform.state.StateStore;
import io.certform.state.StateStoreContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The contract, on a real PostgreSQL server: a schema for the class, a workspace per test, every call a new handle. */
class PostgresStateStoreContractTest extends StateStoreContract {

    private static String schema;
    private String workspace;
    private Long compactAt;
    private final List<PostgresStateStore> opened = new ArrayList<>();

    @BeforeAll
    static void schema() {
        schema = TestPostgres.freshSchema();
    }

    @AfterAll
    static void dropSchema() {
        TestPostgres.dropSchema(schema);
    }

    @BeforeEach
    void workspace() {
        workspace = TestPostgres.freshWorkspace();
    }

    @AfterEach
    void close() {
        opened.forEach(PostgresStateStore::close);
    }

    @Override
    protected StateStore store(long compactAt) {
        if (this.compactAt == null) {
            this.compactAt = compactAt;
        }
        PostgresStateStore store = new PostgresStateStore(TestPostgres.location(schema, workspace), "1.0", clock,
                sleeper, this.compactAt);
        opened.add(store);
        return store;
    }

    @Override
    protected boolean keepsEveryVersion() {
        return true;
    }
}
