package io.certform.state.postgres;

import io.certform.state.JournalRecord;
import io.certform.state.StateStoreContract;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The PostgreSQL journal's batching, with a recording connection: no server needed. */
class PostgresJournalTest {

    /** A connection whose statements only record the journal lines bound to them. */
    private static Connection recording(List<String> committed) {
        PreparedStatement statement = (PreparedStatement) Proxy.newProxyInstance(
                PostgresJournalTest.class.getClassLoader(), new Class<?>[] {PreparedStatement.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("setString") && ((String) args[1]).startsWith("{")) {
                        committed.add((String) args[1]);
                    }
                    return method.getName().equals("executeUpdate") ? 1 : null;
                });
        return (Connection) Proxy.newProxyInstance(PostgresJournalTest.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> statement);
    }

    /**
     * A flush cut short by an error that is no exception (out of memory) must keep its records pending, as a flush
     * refused by the server does: dropped, a later sync would find nothing pending and return as if they were
     * committed, and a call would be sent with its intent never written.
     */
    @Test
    void aFlushCutShortByOutOfMemory_keepsItsRecords_forTheNextFlush() throws Exception {
        List<String> committed = new ArrayList<>();
        boolean[] failNext = {true};
        PostgresJournal journal = new PostgresJournal((what, work) -> {
            if (failNext[0]) {
                failNext[0] = false;
                throw new OutOfMemoryError("Java heap space");
            }
            try {
                work.run(recording(committed));
            } catch (java.sql.SQLException e) {
                throw new AssertionError(e);
            }
        }, "certform", "ws", "the test");
        long first = journal.append(JournalRecord.Intent.bind(StateStoreContract.resource(1), null, Instant.now()));
        assertThrows(OutOfMemoryError.class, () -> journal.sync(first));
        journal.sync(first);
        assertEquals(1, committed.size(), "the intent is committed by the next flush: " + committed);
    }
}
