package io.certform.keystore.postgres;

import io.certform.keystore.KeyStorage;
import io.certform.keystore.KeystoreException;
import io.certform.state.postgres.PostgresLocation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The key store of a PostgreSQL state: one row per workspace in {@code SCHEMA.certform_keystore}, holding the
 * encrypted PKCS#12 and a version that every write increments. A write names the version it read and is refused when
 * another runner wrote since ({@link KeystoreException.Conflict}), so two runners never lose each other's keys. The
 * table is created when absent (its own DDL, under an advisory lock, beside the state's tables); it holds nothing but
 * encrypted bytes.
 */
public final class PostgresKeyStorage implements KeyStorage {

    /** The table's layout; {@code %s} is the schema. Version 1. */
    static final String CREATE = """
            CREATE TABLE IF NOT EXISTS %s.certform_keystore (
                workspace text PRIMARY KEY,
                version bigint NOT NULL,
                pkcs12 bytea NOT NULL,
                written_at timestamptz NOT NULL DEFAULT now()
            )""";

    private final PostgresLocation location;
    private final String row;
    private boolean ensured;

    public PostgresKeyStorage(PostgresLocation location) {
        this(location, "");
    }

    /**
     * A document of the workspace beside its key store, in the same table: the row {@code WORKSPACE} and
     * {@code suffix} ({@code /issuance}: the issuance journal).
     */
    public PostgresKeyStorage(PostgresLocation location, String suffix) {
        this.location = location;
        this.row = location.workspace() + suffix;
    }

    @Override
    public Stored read() throws KeystoreException {
        return run("reading the key store", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT pkcs12, version FROM " + location.schema()
                    + ".certform_keystore WHERE workspace = ?")) {
                s.setString(1, row);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? new Stored(r.getBytes(1), Long.toString(r.getLong(2))) : null;
                }
            }
        });
    }

    @Override
    public String write(byte[] bytes, String expectedVersion) throws KeystoreException {
        String written = run("writing the key store", c -> {
            if (expectedVersion == null) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO " + location.schema()
                        + ".certform_keystore (workspace, version, pkcs12) VALUES (?, 1, ?) ON CONFLICT DO NOTHING")) {
                    s.setString(1, row);
                    s.setBytes(2, bytes);
                    return s.executeUpdate() == 1 ? "1" : null;
                }
            }
            long expected = Long.parseLong(expectedVersion);
            try (PreparedStatement s = c.prepareStatement("UPDATE " + location.schema() + ".certform_keystore SET"
                    + " pkcs12 = ?, version = version + 1, written_at = now() WHERE workspace = ? AND version = ?")) {
                s.setBytes(1, bytes);
                s.setString(2, row);
                s.setLong(3, expected);
                return s.executeUpdate() == 1 ? Long.toString(expected + 1) : null;
            }
        });
        if (written == null) {
            throw new KeystoreException.Conflict("the key store of workspace " + row + " at "
                    + location.display() + " was written by another run since this one read it: nothing was"
                    + " written; run certform again");
        }
        return written;
    }

    @Override
    public String describe() {
        return "of workspace " + row + " at " + location.display();
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** One transaction on a connection of its own, after making sure the table exists. */
    private <T> T run(String what, Work<T> work) throws KeystoreException {
        Properties properties = new Properties();
        properties.setProperty("user", location.user());
        if (location.password().value() != null) {
            properties.setProperty("password", location.password().value());
        }
        properties.setProperty("ApplicationName", "certform");
        try (Connection c = new org.postgresql.Driver().connect(location.jdbcUrl(), properties)) {
            if (c == null) {
                throw new KeystoreException("the state URL is not one the PostgreSQL driver accepts: "
                        + location.display());
            }
            c.setAutoCommit(false);
            try {
                if (!ensured) {
                    ensure(c);
                }
                T result = work.run(c);
                c.commit();
                ensured = true;
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new KeystoreException(what + " " + describe() + " failed: " + e.getSQLState() + " "
                    + e.getClass().getSimpleName() + "; nothing was written");
        }
    }

    private void ensure(Connection c) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            lock.setString(1, "certform keystore " + location.schema());
            lock.execute();
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + location.schema());
            s.execute(CREATE.formatted(location.schema()));
        }
    }
}
