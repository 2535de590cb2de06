package io.certform.state.postgres;

import io.certform.state.Adoption;
import io.certform.state.DurableRecorder;
import io.certform.state.Gateway;
import io.certform.state.JournalCodec;
import io.certform.state.JournalRecord;
import io.certform.state.RunRecorder;
import io.certform.state.State;
import io.certform.state.StateException;
import io.certform.state.StateLock;
import io.certform.state.StateLockException;
import io.certform.state.StateStore;
import io.certform.state.StateVersion;
import io.certform.state.Succession;
import io.certform.base.Sleeper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

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
    private final PostgresVersions versions;

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
        this.versions = new PostgresVersions(schema, workspace, this::describe);
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
        State stored = read("reading the state", null, versions::current);
        return Gateway.check(stored == null ? State.empty(certformVersion) : stored, gateway, describe(),
                () -> !journal().isEmpty());
    }

    private volatile java.util.Map<String, Gateway> gateway;

    @Override
    public void expectGateways(java.util.Map<String, Gateway> expected) {
        gateway = expected == null ? null : java.util.Collections.unmodifiableMap(new java.util.HashMap<>(expected));
    }

    @Override
    public void write(State next) throws StateException {
        writeCounted(next);
    }

    private long writeCounted(State next) throws StateException {
        return write("writing the state", c -> versions.append(c, next, true));
    }

    @Override
    public List<JournalRecord> journal() throws StateException {
        return read("reading the journal", List.of(), c -> PostgresJournal.read(c, schema, workspace, clock.instant(),
                describe()));
    }

    @Override
    public RunRecorder record(State base) throws StateException {
        ready();
        State[] stored = new State[1];
        List<JournalRecord> left = read("starting the run's journal", List.of(), c -> {
            stored[0] = versions.current(c);
            return PostgresJournal.read(c, schema, workspace, clock.instant(), describe());
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
            versions.append(c, next, true);
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
        return read("reading the history", List.of(), versions::history);
    }

    @Override
    public Optional<State> version(long serial) throws StateException {
        String text = read("reading a previous state", null, c -> versions.text(c, serial));
        return text == null ? Optional.empty() : Optional.of(versions.parse(text));
    }

    @Override
    public void adopt(List<State> versions) throws StateException {
        if (versions.isEmpty()) {
            return;
        }
        write("adopting the states", c -> {
            State stored = this.versions.current(c);
            Adoption.check(stored, versions, describe());
            for (State v : versions) {
                if (stored == null || v.serial() > stored.serial()) {
                    this.versions.append(c, v, false);
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
