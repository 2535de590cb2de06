package io.certform.state.postgres;

import io.certform.state.State;
import io.certform.state.StateCodec;
import io.certform.state.StateConflictException;
import io.certform.state.StateException;
import io.certform.state.StateStore;
import io.certform.state.StateVersion;
import io.certform.state.Succession;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;

/**
 * The state versions of one workspace, inside a transaction its store opened: the current one (the workspace's row
 * in {@code certform_workspace}), the append-only {@code certform_state}, and the inventory replaced with each new
 * current version ({@link PostgresInventory}).
 */
final class PostgresVersions {

    private final String schema;
    private final String workspace;
    private final Supplier<String> describe;

    PostgresVersions(String schema, String workspace, Supplier<String> describe) {
        this.schema = schema;
        this.workspace = workspace;
        this.describe = describe;
    }

    /** The current state, or null when the workspace has none. */
    State current(Connection c) throws SQLException, StateException {
        try (PreparedStatement s = c.prepareStatement("SELECT v.state::text FROM " + schema + ".certform_workspace w"
                + " JOIN " + schema + ".certform_state v ON v.workspace = w.workspace AND v.serial = w.serial"
                + " WHERE w.workspace = ?")) {
            s.setString(1, workspace);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? parse(r.getString(1)) : null;
            }
        }
    }

    State parse(String text) throws StateException {
        State state;
        try {
            state = StateCodec.read(text);
        } catch (JacksonException e) {
            throw new StateException(describe.get() + ": a stored state is not valid certform state ("
                    + e.getOriginalMessage() + "); it was not written by certform.");
        }
        if (state.formatVersion() > State.FORMAT_VERSION) {
            throw new StateException(describe.get() + ": the state was written by a newer certform (format_version "
                    + state.formatVersion() + "). Upgrade certform.");
        }
        return state;
    }


    /**
     * In a transaction: appends {@code next} after the workspace's current state and moves the workspace to it.
     *
     * @param follow whether {@code next} must follow the stored state ({@link Succession}); false when adopting
     *               another store's versions, which only need to be later ones
     */
    long append(Connection c, State next, boolean follow) throws SQLException, StateException {
        State stored = null;
        try (PreparedStatement s = c.prepareStatement("SELECT lineage, serial FROM " + schema
                + ".certform_workspace WHERE workspace = ? FOR UPDATE")) {
            s.setString(1, workspace);
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    stored = new State(State.FORMAT_VERSION, null, r.getString(1), r.getLong(2), List.of());
                }
            }
        }
        if (follow) {
            Succession.check(stored, next, describe.get());
        }
        if (stored == null) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO " + schema + ".certform_workspace (workspace,"
                    + " lineage, serial) VALUES (?, ?, ?) ON CONFLICT (workspace) DO NOTHING")) {
                s.setString(1, workspace);
                s.setString(2, next.lineage());
                s.setLong(3, next.serial());
                if (s.executeUpdate() == 0) {
                    throw new StateConflictException(describe.get() + " was given its first state by another run at the"
                            + " same moment. Nothing was written; run certform again (plan first).");
                }
            }
        } else {
            try (PreparedStatement s = c.prepareStatement("UPDATE " + schema + ".certform_workspace SET serial = ?,"
                    + " updated_at = clock_timestamp() WHERE workspace = ?")) {
                s.setLong(1, next.serial());
                s.setString(2, workspace);
                s.executeUpdate();
            }
        }
        String text = StateCodec.toText(next);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + schema + ".certform_state (workspace, serial,"
                + " lineage, certform_version, resources, state) VALUES (?, ?, ?, ?, ?, ?::jsonb)")) {
            s.setString(1, workspace);
            s.setLong(2, next.serial());
            s.setString(3, next.lineage());
            s.setString(4, next.certformVersion());
            s.setInt(5, next.resources().size());
            s.setString(6, text);
            s.executeUpdate();
        }
        PostgresInventory.replace(c, schema, workspace, next);
        return text.getBytes(StandardCharsets.UTF_8).length;
    }


    /** The current version and the {@value StateStore#HISTORY} before it, newest first. */
    List<StateVersion> history(Connection c) throws SQLException {
        List<StateVersion> versions = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT v.serial, v.lineage, v.written_at,"
                + " v.certform_version, v.resources FROM " + schema + ".certform_state v JOIN " + schema
                + ".certform_workspace w ON w.workspace = v.workspace AND w.lineage = v.lineage"
                + " WHERE v.workspace = ? AND v.serial <= w.serial ORDER BY v.serial DESC LIMIT ?")) {
            s.setString(1, workspace);
            s.setInt(2, StateStore.HISTORY + 1);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    versions.add(new StateVersion(r.getLong(1), r.getString(2), r.getTimestamp(3).toInstant(),
                            r.getString(4), r.getInt(5)));
                }
            }
        }
        return versions;
    }

    /** The stored text of version {@code serial}, or null when there is none. */
    String text(Connection c, long serial) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT state::text FROM " + schema + ".certform_state"
                + " WHERE workspace = ? AND serial = ?")) {
            s.setString(1, workspace);
            s.setLong(2, serial);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }
}
