package io.certform.state.postgres;

import io.certform.state.StateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * certform's tables in PostgreSQL, as numbered migrations recorded in {@code certform_schema}. certform applies the
 * missing ones on first use: in one transaction that first takes a transaction-scoped advisory lock (released at
 * commit, so nothing lingers behind a pooler), so that processes starting together on an empty database create the
 * schema once and the others find it done. A schema already at the current version costs one query and no DDL: a
 * user without DDL rights works once an administrator has run the SQL {@link #script(String)} prints
 * ({@code certform state schema}).
 */
public final class PostgresSchema {

    /** One migration: its version and its statements ({@code %s} stands for the schema). */
    private record Migration(int version, List<String> statements) {
    }

    private static final List<Migration> MIGRATIONS = List.of(new Migration(1, List.of(
            """
            CREATE TABLE %s.certform_workspace (
                workspace  text PRIMARY KEY,
                lineage    text NOT NULL,
                serial     bigint NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
            )""",
            """
            CREATE TABLE %s.certform_state (
                workspace        text NOT NULL,
                serial           bigint NOT NULL,
                lineage          text NOT NULL,
                certform_version text,
                written_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
                resources        integer NOT NULL,
                state            jsonb NOT NULL,
                PRIMARY KEY (workspace, serial)
            )""",
            """
            CREATE FUNCTION %s.certform_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'certform_state is append-only: a state version is never changed or deleted';
            END $$""",
            """
            CREATE TRIGGER certform_state_append_only BEFORE UPDATE OR DELETE ON %1$s.certform_state
                FOR EACH ROW EXECUTE FUNCTION %1$s.certform_append_only()""",
            """
            CREATE TABLE %s.certform_journal (
                workspace  text NOT NULL,
                seq        bigint GENERATED ALWAYS AS IDENTITY,
                written_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                record     jsonb NOT NULL,
                PRIMARY KEY (workspace, seq)
            )""",
            """
            CREATE TABLE %s.certform_lock (
                workspace  text PRIMARY KEY,
                id         text NOT NULL,
                username   text NOT NULL,
                host       text NOT NULL,
                pid        bigint NOT NULL,
                operation  text NOT NULL,
                created_at timestamptz NOT NULL,
                renewed_at timestamptz NOT NULL,
                expires_at timestamptz NOT NULL
            )""",
            """
            CREATE TABLE %s.certform_binding (
                workspace        text NOT NULL,
                address          text NOT NULL,
                certificate      text,
                instance_id      text,
                group_id         text,
                domain_id        text,
                url_domain       text,
                ssl_id           text,
                ssl_name         text,
                type             text,
                model            text NOT NULL,
                algorithm_type   text,
                serial_number    text,
                not_after        timestamptz,
                cert_sha256      text,
                issuer           text,
                state_serial     bigint NOT NULL,
                PRIMARY KEY (workspace, address)
            )""",
            "CREATE INDEX certform_binding_not_after ON %s.certform_binding (not_after)",
            "CREATE INDEX certform_binding_cert_sha256 ON %s.certform_binding (cert_sha256)")),
            // 2: a deposed object is a column, not text in its address, so that it and the live object at the same
            // address are two rows; rows version 1 wrote as ADDRESS#deposed-KEY are split as the state reader does
            new Migration(2, List.of(
                    """
                    ALTER TABLE %s.certform_binding DROP CONSTRAINT certform_binding_pkey,
                        ADD COLUMN deposed text NOT NULL DEFAULT ''""",
                    """
                    UPDATE %s.certform_binding
                       SET deposed = COALESCE(NULLIF(substring(address FROM '#deposed-(.+)$'), ''), '0'),
                           address = split_part(address, '#deposed', 1)
                     WHERE strpos(address, '#deposed') > 0""",
                    "ALTER TABLE %s.certform_binding ADD PRIMARY KEY (workspace, address, deposed)")),
            // 3: the provider (gateway) of each row, for fleets. The address already tells the same binding under
            // two providers apart (provider.P.KEY[DOMAIN]), so the key stays; rows written before are the default
            // provider's, and a row whose address names a provider is that provider's, as the state reader has it
            new Migration(3, List.of(
                    "ALTER TABLE %s.certform_binding ADD COLUMN provider text NOT NULL DEFAULT 'default'",
                    "UPDATE %s.certform_binding SET provider = split_part(address, '.', 2)"
                            + " WHERE address LIKE 'provider.%%.%%'",
                    "CREATE INDEX certform_binding_provider ON %s.certform_binding (workspace, provider)")));

    /** The version this certform creates and reads. */
    public static final int CURRENT = MIGRATIONS.get(MIGRATIONS.size() - 1).version();

    private PostgresSchema() {
    }

    /** The SQL that brings {@code schema} to the current version, for an administrator to run (idempotent). */
    public static String script(String schema) {
        return script(schema, CURRENT);
    }

    /** The SQL that brings {@code schema} to version {@code upTo} (tests make a database as an earlier one did). */
    static String script(String schema, int upTo) {
        StringBuilder sql = new StringBuilder("-- certform state schema, version ").append(upTo)
                .append(" (run as a user with CREATE rights; safe to run again)\nBEGIN;\n");
        for (String statement : prelude(schema)) {
            sql.append(statement).append(";\n");
        }
        for (Migration m : MIGRATIONS.subList(0, upTo)) {
            sql.append("-- migration ").append(m.version()).append('\n');
            sql.append("DO $certform$ BEGIN\nIF NOT EXISTS (SELECT 1 FROM ").append(schema)
                    .append(".certform_schema WHERE version = ").append(m.version()).append(") THEN\n");
            for (String statement : m.statements()) {
                sql.append("EXECUTE ").append(quote(statement.formatted(schema))).append(";\n");
            }
            sql.append("INSERT INTO ").append(schema).append(".certform_schema (version) VALUES (")
                    .append(m.version()).append(");\nEND IF;\nEND $certform$;\n");
        }
        sql.append("COMMIT;\n");
        return sql.toString();
    }

    /** Brings the schema to the current version, unless it is already there; refuses a newer one. */
    static void ensure(PostgresDatabase db) throws StateException {
        String schema = db.location().schema();
        Integer version = db.transaction("reading the schema version", c -> installed(c, schema));
        if (version != null && version == CURRENT) {
            return;
        }
        if (version != null && version > CURRENT) {
            throw newer(version, db);
        }
        db.transaction("creating or migrating the schema " + schema, c -> {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, "certform schema " + schema);
                lock.execute();
            }
            try (Statement s = c.createStatement()) {
                for (String statement : prelude(schema)) {
                    s.execute(statement);
                }
            }
            Integer now = installed(c, schema);
            int at = now == null ? 0 : now;
            if (at > CURRENT) {
                throw newer(at, db);
            }
            for (Migration m : MIGRATIONS) {
                if (m.version() <= at) {
                    continue;
                }
                try (Statement s = c.createStatement()) {
                    for (String statement : m.statements()) {
                        s.execute(statement.formatted(schema));
                    }
                }
                try (PreparedStatement record = c.prepareStatement("INSERT INTO " + schema
                        + ".certform_schema (version) VALUES (?)")) {
                    record.setInt(1, m.version());
                    record.executeUpdate();
                }
            }
            return null;
        });
    }

    /**
     * The installed version, or null when certform's schema is not there; refuses a newer one. Creates nothing: what
     * a read-only command asks before it reads.
     */
    static Integer installed(PostgresDatabase db) throws StateException {
        String schema = db.location().schema();
        Integer version = db.transaction("reading the schema version", c -> installed(c, schema));
        if (version != null && version > CURRENT) {
            throw newer(version, db);
        }
        return version;
    }

    private static List<String> prelude(String schema) {
        return List.of("CREATE SCHEMA IF NOT EXISTS " + schema,
                "CREATE TABLE IF NOT EXISTS " + schema + ".certform_schema (version integer PRIMARY KEY,"
                        + " applied_at timestamptz NOT NULL DEFAULT clock_timestamp())");
    }

    /** The installed version, or null when the schema or its version table does not exist. */
    private static Integer installed(Connection c, String schema) throws SQLException {
        try (PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, schema + ".certform_schema");
            try (ResultSet r = exists.executeQuery()) {
                r.next();
                if (!r.getBoolean(1)) {
                    return null;
                }
            }
        }
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT max(version) FROM " + schema + ".certform_schema")) {
            r.next();
            int v = r.getInt(1);
            return r.wasNull() ? null : v;
        }
    }

    private static StateException newer(int version, PostgresDatabase db) {
        return new StateException("the PostgreSQL state at " + db.location().display() + " has schema version "
                + version + ", written by a newer certform; this one knows version " + CURRENT + ". Upgrade certform.");
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
