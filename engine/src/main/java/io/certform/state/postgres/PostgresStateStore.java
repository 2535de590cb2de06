package io.certform.state.postgres;

import io.certform.state.Adoption;
import io.certform.state.DurableRecorder;
import io.certform.state.Gateway;
import io.certform.state.JournalCodec;
import io.certform.state.JournalRecord;
import io.certform.state.RunRecorder;
import io.certform.state.State;
import io.certform.state.StateCodec;
import io.certform.state.StateConflictException;
import io.certform.state.StateException;
import io.certform.state.StateLock;
import io.certform.state.StateLockException;
import io.certform.state.StateStore;
import io.certform.state.StateVersion;
import io.certform.state.Succession;
import io.certform.base.Sleeper;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postgresql.util.PGInterval;
import tools.jackson.core.JacksonException;

/**
 * State in PostgreSQL, one workspace of one schema ({@link PostgresSchema}): the current state's lineage and serial
 * in {@code certform_workspace}; every version, append-only, in {@code certform_state}; the run's journal in
 * {@code certform_journal}; the lease in {@code certform_lock}; and one row per binding of the current state in
 * {@code certform_binding}, for queries. A write is one transaction: it checks lineage and serial against the row it
 * locks ({@link Succession}), appends the version, moves the workspace to it and replaces the inventory; a run that
 * holds the lease also checks, in that transaction, that the lease is still its own.
 *
 * <p>Every store keeps every version; {@link #history()} lists the current one and the {@value StateStore#HISTORY}
 * before it, as the local store does, and {@link #version} reads any.
 */
public final class PostgresStateStore implements StateStore {

    private final PostgresDatabase db;
    private final PostgresLease leases;
    private final Clock clock;
    private final String certformVersion;
    private final long compactAt;
    private final String schema;
    private final String workspace;
    private volatile boolean schemaReady;
    private volatile PostgresLease.Lease held;

    public PostgresStateStore(PostgresLocation location, String certformVersion) {
        this(location, certformVersion, Clock.systemUTC(), Sleeper.SYSTEM, StateStore.COMPACT_AT);
    }

    /**
     * @param clock     and {@code sleeper}: how lock attempts wait (lease times are the server's)
     * @param compactAt journal bytes past which a run compacts mid-run
     */
    public PostgresStateStore(PostgresLocation location, String certformVersion, Clock clock, Sleeper sleeper,
                              long compactAt) {
        this(location, certformVersion, clock, sleeper, Sleeper.SYSTEM, compactAt);
    }

    /**
     * @param heartbeat how the lease's heartbeat waits between renewals (a test decides when it beats); apart from
     *                  {@code sleeper}, whose waits are the lock attempts' only
     */
    public PostgresStateStore(PostgresLocation location, String certformVersion, Clock clock, Sleeper sleeper,
                              Sleeper heartbeat, long compactAt) {
        this.db = new PostgresDatabase(location);
        this.leases = new PostgresLease(db, clock, sleeper, heartbeat);
        this.clock = clock;
        this.certformVersion = certformVersion;
        this.compactAt = compactAt;
        this.schema = location.schema();
        this.workspace = location.workspace();
    }

    public PostgresLocation location() {
        return db.location();
    }

    @Override
    public String describe() {
        return "workspace " + workspace + " of " + db.location().displayServer();
    }

    /** Creates or migrates the schema on first use. */
    private void ready() throws StateException {
        if (!schemaReady) {
            PostgresSchema.ensure(db);
            schemaReady = true;
        }
    }

    /**
     * A read: never creates or migrates the schema (plan, show, state list and the like must leave a database as
     * they found it). Without certform's schema there is no state yet: {@code absent} is the answer.
     */
    private <T> T read(String what, T absent, PostgresDatabase.Work<T> work) throws StateException {
        if (!schemaReady) {
            Integer version = PostgresSchema.installed(db);
            if (version == null) {
                return absent;
            }
            if (version == PostgresSchema.CURRENT) {
                schemaReady = true;
            }
        }
        return db.transaction(what, work);
    }

    /** A write's transaction: fenced on the lease this store holds, if any. */
    private <T> T write(String what, PostgresDatabase.Work<T> work) throws StateException {
        ready();
        PostgresLease.Lease lease = held;
        return db.transaction(what, c -> {
            leases.fence(c, lease);
            return work.run(c);
        });
    }

    @Override
    public State read() throws StateException {
        State stored = read("reading the state", null, this::stored);
        return Gateway.check(stored == null ? State.empty(certformVersion) : stored, gateway, describe(),
                () -> !journal().isEmpty());
    }

    private volatile Gateway gateway;

    @Override
    public void expectGateway(Gateway expected) {
        gateway = expected;
    }

    /** The current state, or null when the workspace has none. */
    private State stored(Connection c) throws SQLException, StateException {
        try (PreparedStatement s = c.prepareStatement("SELECT v.state::text FROM " + schema + ".certform_workspace w"
                + " JOIN " + schema + ".certform_state v ON v.workspace = w.workspace AND v.serial = w.serial"
                + " WHERE w.workspace = ?")) {
            s.setString(1, workspace);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? parse(r.getString(1)) : null;
            }
        }
    }

    private State parse(String text) throws StateException {
        State state;
        try {
            state = StateCodec.read(text);
        } catch (JacksonException e) {
            throw new StateException(describe() + ": a stored state is not valid certform state ("
                    + e.getOriginalMessage() + "); it was not written by certform.");
        }
        if (state.formatVersion() > State.FORMAT_VERSION) {
            throw new StateException(describe() + ": the state was written by a newer certform (format_version "
                    + state.formatVersion() + "). Upgrade certform.");
        }
        return state;
    }

    @Override
    public void write(State next) throws StateException {
        writeCounted(next);
    }

    private long writeCounted(State next) throws StateException {
        return write("writing the state", c -> append(c, next, true));
    }

    /**
     * In a transaction: appends {@code next} after the workspace's current state and moves the workspace to it.
     *
     * @param follow whether {@code next} must follow the stored state ({@link Succession}); false when adopting
     *               another store's versions, which only need to be later ones
     */
    private long append(Connection c, State next, boolean follow) throws SQLException, StateException {
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
            Succession.check(stored, next, describe());
        }
        if (stored == null) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO " + schema + ".certform_workspace (workspace,"
                    + " lineage, serial) VALUES (?, ?, ?) ON CONFLICT (workspace) DO NOTHING")) {
                s.setString(1, workspace);
                s.setString(2, next.lineage());
                s.setLong(3, next.serial());
                if (s.executeUpdate() == 0) {
                    throw new StateConflictException(describe() + " was given its first state by another run at the"
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

    @Override
    public List<JournalRecord> journal() throws StateException {
        return read("reading the journal", List.of(), this::journal);
    }

    private List<JournalRecord> journal(Connection c) throws SQLException, StateException {
        List<JournalRecord> records = new ArrayList<>();
        Instant now = clock.instant();
        try (PreparedStatement s = c.prepareStatement("SELECT record::text, written_at, seq, clock_timestamp()"
                + " - written_at FROM " + schema + ".certform_journal WHERE workspace = ? ORDER BY seq")) {
            s.setString(1, workspace);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    try {
                        JournalRecord record = JournalCodec.decode(r.getString(1), r.getTimestamp(2).toInstant());
                        records.add(onThisClock(record, now, age(r.getObject(4, PGInterval.class))));
                    } catch (JournalCodec.BadLine e) {
                        throw new StateException("the journal of " + describe() + " has a record certform cannot"
                                + " read (seq " + r.getLong(3) + "): " + e.getMessage() + ". Nothing was sent.");
                    }
                }
            }
        }
        return records;
    }

    /**
     * An intent's time on this runner's clock. The intent carries the clock of the runner that wrote it, which may lag
     * this one's; a run settling it judges "sent less than the settle window ago" on its own clock, so a lagging
     * writer's call would be given up while it may still land. The server's age of the record, taken from this
     * runner's now, bounds it; the later of the two is kept (a clock ahead only makes the settling run wait longer).
     */
    private static JournalRecord onThisClock(JournalRecord record, Instant now, Duration age) {
        if (!(record instanceof JournalRecord.Intent intent) || age == null) {
            return record;
        }
        Instant byServer = now.minus(age.isNegative() ? Duration.ZERO : age);
        return intent.at() != null && !intent.at().isBefore(byServer) ? intent
                : new JournalRecord.Intent(intent.address(), intent.op(), intent.planned(), intent.oldSslId(),
                byServer);
    }

    /** A PostgreSQL interval (at most days, hours, minutes, seconds here) as a duration; null when absent. */
    private static Duration age(PGInterval interval) {
        if (interval == null) {
            return null;
        }
        double seconds = interval.getSeconds();
        return Duration.ofDays(interval.getYears() * 365L + interval.getMonths() * 30L + interval.getDays())
                .plusHours(interval.getHours()).plusMinutes(interval.getMinutes())
                .plusNanos(Math.round(seconds * 1_000_000_000d));
    }

    @Override
    public RunRecorder record(State base) throws StateException {
        ready();
        State[] stored = new State[1];
        List<JournalRecord> left = read("starting the run's journal", List.of(), c -> {
            stored[0] = stored(c);
            return journal(c);
        });
        if (left.stream().anyMatch(r -> !(r instanceof JournalRecord.Intent))) {
            throw new StateException("the journal of " + describe() + " holds " + left.size() + " record(s) of an"
                    + " interrupted run; they must be settled (by 'certform apply' or 'certform refresh') before"
                    + " another run is recorded. Nothing was sent.");
        }
        Succession.checkBase(stored[0], base, describe());
        PostgresJournal log = new PostgresJournal((what, work) -> write(what, c -> {
            work.run(c);
            return null;
        }), schema, workspace, describe());
        return new DurableRecorder(base, JournalRecord.openIntents(left), log, this::writeCounted, certformVersion,
                compactAt);
    }

    /** Writes the state and replaces the journal in one transaction: both happen, or neither. */
    @Override
    public void settle(State next, List<JournalRecord.Intent> stillOpen) throws StateException {
        write("settling the journal", c -> {
            append(c, next, true);
            try (PreparedStatement s = c.prepareStatement("DELETE FROM " + schema
                    + ".certform_journal WHERE workspace = ?")) {
                s.setString(1, workspace);
                s.executeUpdate();
            }
            PostgresJournal.insertLines(c, schema + ".certform_journal", workspace,
                    stillOpen.stream().map(JournalCodec::encode).toList());
            return null;
        });
    }

    @Override
    public List<StateVersion> history() throws StateException {
        return read("reading the history", List.of(), c -> {
            List<StateVersion> versions = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT v.serial, v.lineage, v.written_at,"
                    + " v.certform_version, v.resources FROM " + schema + ".certform_state v JOIN " + schema
                    + ".certform_workspace w ON w.workspace = v.workspace AND w.lineage = v.lineage"
                    + " WHERE v.workspace = ? AND v.serial <= w.serial ORDER BY v.serial DESC LIMIT ?")) {
                s.setString(1, workspace);
                s.setInt(2, HISTORY + 1);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        versions.add(new StateVersion(r.getLong(1), r.getString(2), r.getTimestamp(3).toInstant(),
                                r.getString(4), r.getInt(5)));
                    }
                }
            }
            return versions;
        });
    }

    @Override
    public Optional<State> version(long serial) throws StateException {
        String text = read("reading a previous state", null, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT state::text FROM " + schema + ".certform_state"
                    + " WHERE workspace = ? AND serial = ?")) {
                s.setString(1, workspace);
                s.setLong(2, serial);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? r.getString(1) : null;
                }
            }
        });
        return text == null ? Optional.empty() : Optional.of(parse(text));
    }

    @Override
    public void adopt(List<State> versions) throws StateException {
        if (versions.isEmpty()) {
            return;
        }
        write("adopting the states", c -> {
            State stored = stored(c);
            Adoption.check(stored, versions, describe());
            for (State v : versions) {
                if (stored == null || v.serial() > stored.serial()) {
                    append(c, v, false);
                }
            }
            return null;
        });
    }

    @Override
    public Held lock(String operation, Duration timeout) throws StateLockException, InterruptedException {
        try {
            ready();
        } catch (StateException e) {
            throw new StateLockException("Error acquiring the state lock: " + e.getMessage(), null);
        }
        PostgresLease.Lease lease = leases.acquire(operation, timeout);
        held = lease;
        return new Held() {
            @Override
            public StateLock lock() {
                return lease.lock();
            }

            @Override
            public void close() {
                if (held == lease) {
                    held = null;
                }
                lease.close();
            }
        };
    }

    @Override
    public StateLock forceUnlock(String id) throws StateLockException {
        try {
            if (!schemaInstalled()) {
                throw new StateLockException("the workspace " + workspace + " is not locked (" + describe()
                        + " holds no certform state yet), so there is nothing to unlock.", null);
            }
            ready();
        } catch (StateException e) {
            throw new StateLockException(e.getMessage(), null);
        }
        return leases.forceUnlock(id);
    }

    @Override
    public Optional<StateLock> holder() throws StateException {
        if (!schemaInstalled()) {
            return Optional.empty(); // no schema, no lock: looking must not create one
        }
        ready();
        return Optional.ofNullable(leases.holder());
    }

    /** Whether certform's schema is in the database (of any version), without creating it. */
    private boolean schemaInstalled() throws StateException {
        return schemaReady || PostgresSchema.installed(db) != null;
    }

    @Override
    public void checkWritable() throws StateException {
        ready();
        read("checking the privileges", null, c -> {
            for (String table : List.of("certform_workspace", "certform_state", "certform_journal", "certform_lock",
                    "certform_binding")) {
                try (PreparedStatement s = c.prepareStatement("SELECT has_table_privilege(?, 'INSERT')")) {
                    s.setString(1, schema + "." + table);
                    try (ResultSet r = s.executeQuery()) {
                        r.next();
                        if (!r.getBoolean(1)) {
                            throw new StateException("the user " + db.location().user() + " cannot write the table "
                                    + schema + "." + table + " of " + describe() + ". Nothing was sent. Have an"
                                    + " administrator grant INSERT, UPDATE, DELETE and SELECT on certform's tables.");
                        }
                    }
                }
            }
            return null;
        });
    }

    @Override
    public void close() {
        PostgresLease.Lease lease = held;
        if (lease != null) {
            lease.close();
        }
        db.close();
    }

    /** When an ISO-8601 instant, as a timestamp; null when absent or not one. */
    static Timestamp timestamp(String iso) {
        if (iso == null) {
            return null;
        }
        try {
            return Timestamp.from(Instant.parse(iso));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
