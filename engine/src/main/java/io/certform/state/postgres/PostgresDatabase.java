package io.certform.state.postgres;

import io.certform.state.StateException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * One connection to the state's server, opened on first use and reopened after a broken one, used by one
 * transaction at a time. Every unit of work is a transaction of its own (autocommit off, committed at its end, rolled
 * back on any error); nothing outlives a transaction on the server (no session lock, no session setting, no named
 * prepared statement), so a pooler in transaction mode (PgBouncer) may hand each one to another server connection.
 */
final class PostgresDatabase implements AutoCloseable {

    /** Work done inside one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException, StateException;
    }

    private final PostgresLocation location;
    private Connection connection;

    PostgresDatabase(PostgresLocation location) {
        this.location = location;
    }

    PostgresLocation location() {
        return location;
    }

    /** Runs {@code work} in a transaction and commits it; rolls back and throws when anything fails. */
    synchronized <T> T transaction(String what, Work<T> work) throws StateException {
        Connection c = connection();
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException e) {
            rollback(c);
            throw failure(what, e);
        } catch (StateException | RuntimeException e) {
            rollback(c);
            throw e;
        } catch (Error e) {
            // out of memory (or worse) mid-work: the connection is dropped, not rolled back (that may need memory
            // too), and the server aborts the transaction; left open, the next unit of work would commit its half
            closeQuietly();
            throw e;
        }
    }

    private Connection connection() throws StateException {
        try {
            if (connection != null && !connection.isClosed()) {
                return connection;
            }
        } catch (SQLException e) {
            connection = null;
        }
        try {
            Connection opened = new org.postgresql.Driver().connect(location.jdbcUrl(), location.properties());
            if (opened == null) {
                throw new StateException("the state URL is not one the PostgreSQL driver accepts: "
                        + location.display());
            }
            // A run paused inside a transaction (a suspended VM, a closed laptop) would hold the lease row's lock, and
            // the run taking over would wait on it until its socket timed out: the server ends such a transaction
            // once it has been idle for the lease's length, so the lease can be taken over, and the paused run finds
            // its transaction gone when it wakes (its next write is refused).
            try (java.sql.Statement set = opened.createStatement()) {
                set.execute("SET idle_in_transaction_session_timeout = " + Math.max(1000, location.lease().toMillis()));
            }
            opened.setAutoCommit(false);
            connection = opened;
            return opened;
        } catch (SQLException e) {
            throw new StateException("cannot connect to the PostgreSQL state at " + location.display() + ": "
                    + message(e) + ". Check the URL (the manifest's state.url, CERTFORM_PG_URL or the PG* variables),"
                    + " that the server answers, and the credentials. Nothing was changed.", null);
        }
    }

    private void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            closeQuietly();
        }
    }

    /** A failed statement as a state error, without the password; a broken connection is dropped to be reopened. */
    StateException failure(String what, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("08")) {
            closeQuietly();
        }
        String hint = state.equals("42501")
                ? " The user " + location.user() + " lacks a privilege: have an administrator grant it (docs/state.md,"
                + " 'Without DDL rights': 'certform state schema' prints the SQL to create the schema)."
                : state.startsWith("08") ? " The connection to the server was lost; run certform again." : "";
        return new StateException(what + " in the PostgreSQL state at " + location.display() + " failed: "
                + message(e) + "." + hint, null);
    }

    /** The driver's message with any password that might appear in it removed. */
    String message(SQLException e) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String password = location.password().value();
        if (password != null && !password.isEmpty()) {
            text = text.replace(password, "***");
        }
        text = PostgresLocation.redact(text);
        return (e.getSQLState() == null ? "" : "[" + e.getSQLState() + "] ") + text.strip();
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is gone either way
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
