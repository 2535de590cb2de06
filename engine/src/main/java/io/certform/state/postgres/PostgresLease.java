package io.certform.state.postgres;

import io.certform.state.LockWait;
import io.certform.state.StateException;
import io.certform.state.StateLock;
import io.certform.state.StateLockException;
import io.certform.state.StateStore;
import io.certform.base.Sleeper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * The state lock of a PostgreSQL workspace: a lease, one row of {@code certform_lock} per workspace. It is taken by
 * one conditional statement (insert, or take over a row whose lease has expired), renewed by a heartbeat while the
 * run lives, and released by deleting the row. A holder that dies stops renewing, and its lease expires after at most
 * its length; times are the server's, so runners' clocks need not agree. Nothing is held by a session: each statement
 * is its own transaction.
 */
final class PostgresLease {

    private final PostgresDatabase db;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Sleeper heartbeatSleeper;
    private final String table;
    private final String workspace;
    private final Duration length;

    PostgresLease(PostgresDatabase db, Clock clock, Sleeper sleeper, Sleeper heartbeatSleeper) {
        this.db = db;
        this.clock = clock;
        this.sleeper = sleeper;
        this.heartbeatSleeper = heartbeatSleeper;
        this.table = db.location().schema() + ".certform_lock";
        this.workspace = db.location().workspace();
        this.length = db.location().lease();
    }

    /**
     * A lease this process holds, renewed until closed: its heartbeat waits a third of the lease's length (at least
     * 200 ms) on the heartbeat's sleeper, renews, and waits again.
     */
    final class Lease implements StateStore.Held {
        private final StateLock lock;
        private final Thread heartbeat;
        private volatile boolean closed;

        private Lease(StateLock lock) {
            this.lock = lock;
            Duration every = Duration.ofMillis(Math.max(200, length.toMillis() / 3));
            this.heartbeat = new Thread(() -> beat(every), "certform-lease-heartbeat");
            heartbeat.setDaemon(true);
            heartbeat.start();
        }

        @Override
        public StateLock lock() {
            return lock;
        }

        private void beat(Duration every) {
            try {
                while (!closed) {
                    heartbeatSleeper.sleep(every);
                    if (closed || !renew()) {
                        return; // closed, or broken or taken over: this run's next write is refused (fence)
                    }
                }
            } catch (InterruptedException e) {
                // closed
            }
        }

        /** False when the lease is no longer this run's (broken or taken over): then renewing stops. */
        private boolean renew() {
            try {
                int renewed = db.transaction("renewing the state lease", c -> {
                    try (PreparedStatement s = c.prepareStatement("UPDATE " + table + " SET renewed_at ="
                            + " clock_timestamp(), expires_at = clock_timestamp() + make_interval(secs => ?)"
                            + " WHERE workspace = ? AND id = ?")) {
                        s.setDouble(1, length.toMillis() / 1000.0);
                        s.setString(2, workspace);
                        s.setString(3, lock.id());
                        return s.executeUpdate();
                    }
                });
                return renewed != 0;
            } catch (StateException | RuntimeException e) {
                // the server is unreachable for now: try again at the next beat; writes are fenced on the lease
                return true;
            }
        }

        @Override
        public void close() {
            closed = true;
            heartbeat.interrupt();
            try {
                heartbeat.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                db.transaction("releasing the state lease", c -> {
                    try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table
                            + " WHERE workspace = ? AND id = ?")) {
                        s.setString(1, workspace);
                        s.setString(2, lock.id());
                        return s.executeUpdate();
                    }
                });
            } catch (StateException e) {
                // not released: it expires by itself within its length
            }
        }
    }

    /** Takes the lease for {@code operation}, waiting up to {@code timeout} with backoff. */
    Lease acquire(String operation, Duration timeout) throws StateLockException, InterruptedException {
        StateLock[] holder = new StateLock[1];
        return (Lease) LockWait.until(clock, sleeper, timeout, new LockWait.Attempt() {
            @Override
            public StateStore.Held tryOnce() throws StateLockException {
                try {
                    for (int attempt = 0; attempt < 3; attempt++) {
                        StateLock mine = tryTake(operation);
                        if (mine != null) {
                            return new Lease(mine);
                        }
                        holder[0] = holder();
                        if (holder[0] != null) {
                            return null;
                        }
                        // released between the two statements: try again at once
                    }
                    return null;
                } catch (StateException e) {
                    throw new StateLockException("Error acquiring the state lock: " + e.getMessage(), null);
                }
            }

            @Override
            public StateLockException busy() {
                return new StateLockException(LockWait.lockedBy(holder[0], db.location().display(), RELEASE),
                        holder[0]);
            }
        });
    }

    private static final String RELEASE = "The lease is renewed while its run lives and expires by itself when that run"
            + " dies; to break it early, run 'certform force-unlock ID'.";

    /** One attempt: the lock taken, or null when another holds an unexpired lease. */
    private StateLock tryTake(String operation) throws StateException {
        String id = UUID.randomUUID().toString();
        String user = StateLock.user();
        long pid = ProcessHandle.current().pid();
        return db.transaction("taking the state lease", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO " + table + " AS l (workspace, id, username,"
                    + " host, pid, operation, created_at, renewed_at, expires_at) VALUES (?, ?, ?, ?, ?, ?,"
                    + " clock_timestamp(), clock_timestamp(), clock_timestamp() + make_interval(secs => ?))"
                    + " ON CONFLICT (workspace) DO UPDATE SET id = EXCLUDED.id, username = EXCLUDED.username,"
                    + " host = EXCLUDED.host, pid = EXCLUDED.pid, operation = EXCLUDED.operation,"
                    + " created_at = EXCLUDED.created_at, renewed_at = EXCLUDED.renewed_at,"
                    + " expires_at = EXCLUDED.expires_at WHERE l.expires_at < clock_timestamp()"
                    + " RETURNING created_at, expires_at")) {
                s.setString(1, workspace);
                s.setString(2, id);
                s.setString(3, user);
                s.setString(4, StateLock.HOST);
                s.setLong(5, pid);
                s.setString(6, operation);
                s.setDouble(7, length.toMillis() / 1000.0);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return null;
                    }
                    return new StateLock(id, operation, user + "@" + StateLock.HOST, pid,
                            r.getTimestamp(1).toInstant().toString(), StateLock.HOST, r.getTimestamp(2).toInstant().toString());
                }
            }
        });
    }

    /** The lease's holder (expired or not), or null when no row exists. */
    StateLock holder() throws StateException {
        return db.transaction("reading the state lease", this::holder);
    }

    private StateLock holder(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id, operation, username, host, pid, created_at,"
                + " expires_at FROM " + table + " WHERE workspace = ?")) {
            s.setString(1, workspace);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                return new StateLock(r.getString(1), r.getString(2), r.getString(3) + "@" + r.getString(4),
                        r.getLong(5), r.getTimestamp(6).toInstant().toString(), r.getString(4),
                        r.getTimestamp(7).toInstant().toString());
            }
        }
    }

    /** Deletes the lease with this id; refused, naming the holder, when the id is not the lease's. */
    StateLock forceUnlock(String id) throws StateLockException {
        try {
            return db.transaction("breaking the state lease", c -> {
                StateLock current = holder(c);
                if (current == null) {
                    throw new WrappedLockException(new StateLockException("the workspace " + workspace + " is not"
                            + " locked, so there is nothing to unlock.", null));
                }
                if (!current.id().equals(id)) {
                    throw new WrappedLockException(new StateLockException("the lock's id is " + current.id() + " (taken by " + current.who()
                            + ", pid " + current.pid() + ", for " + current.operation() + " at " + current.created()
                            + "), not " + id + ". Check the id in the error that named the lock. Nothing was"
                            + " unlocked.", current));
                }
                try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table
                        + " WHERE workspace = ? AND id = ?")) {
                    s.setString(1, workspace);
                    s.setString(2, id);
                    s.executeUpdate();
                }
                return current;
            });
        } catch (StateException e) {
            throw new StateLockException(e.getMessage(), null);
        } catch (WrappedLockException e) {
            throw e.lockException();
        }
    }

    /**
     * Inside a write's transaction: refuses when {@code lease} is no longer this workspace's lease (broken by
     * force-unlock, or expired and taken by another run), and holds the row so it cannot be taken before the commit.
     */
    void fence(Connection c, Lease lease) throws SQLException, StateException {
        if (lease == null) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM " + table
                + " WHERE workspace = ? FOR SHARE")) {
            s.setString(1, workspace);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next() || !r.getString(1).equals(lease.lock().id())) {
                    throw new StateException("this run's state lock (id " + lease.lock().id() + ") on "
                            + db.location().display() + " was broken (force-unlock) or expired and was taken by"
                            + " another run. Nothing more was written or sent; what this run did is in the journal"
                            + " or the state, and the next run settles it.");
                }
            }
        }
    }

    /** Carries a lock refusal out of a transaction. */
    static final class WrappedLockException extends RuntimeException {
        WrappedLockException(StateLockException cause) {
            super(cause.getMessage(), cause, false, false);
        }

        StateLockException lockException() {
            return (StateLockException) getCause();
        }
    }
}
