package io.certform.state.postgres;

import io.certform.state.JournalCodec;
import io.certform.state.JournalLog;
import io.certform.state.JournalRecord;
import io.certform.state.StateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.postgresql.util.PGInterval;

/**
 * A run's journal in the {@code certform_journal} table of its workspace, so that the next run settles it from any
 * machine. Appended records wait in memory until a flush commits them, in order, in one multi-row insert: an
 * intent's {@link #sync} returns once it is committed (concurrent intents share a commit, as the local journal's
 * fsyncs are shared), and a result is committed as it is appended. Each flush first checks that this run still
 * holds its lease ({@link PostgresLease#fence}).
 */
final class PostgresJournal implements JournalLog {

    /** Commits writes in the store's transaction discipline (fenced on the run's lease). */
    interface Writer {
        void write(String what, Work work) throws StateException;
    }

    /** Statements run inside a fenced transaction. */
    @FunctionalInterface
    interface Work {
        void run(Connection connection) throws SQLException;
    }

    private final Writer writer;
    private final String table;
    private final String workspace;
    private final String where;
    private final Object flushing = new Object();
    private final List<byte[]> pending = new ArrayList<>();
    private long records;
    private long flushed;
    private long syncs;
    private long size;
    private long bytes;
    private boolean deleted;

    PostgresJournal(Writer writer, String schema, String workspace, String where) {
        this.writer = writer;
        this.table = schema + ".certform_journal";
        this.workspace = workspace;
        this.where = where;
    }

    @Override
    public long append(JournalRecord record) throws IOException {
        return append(record, JournalCodec.encode(record));
    }

    @Override
    public long append(JournalRecord record, byte[] line) throws IOException {
        long sequence;
        synchronized (this) {
            if (deleted) {
                throw new IOException("the journal was removed");
            }
            pending.add(line);
            sequence = ++records;
            size += line.length;
            bytes += line.length;
        }
        if (!(record instanceof JournalRecord.Intent)) {
            sync(sequence);
        }
        return sequence;
    }

    @Override
    public void sync(long sequence) throws IOException {
        synchronized (flushing) {
            List<byte[]> batch;
            long last;
            synchronized (this) {
                if (flushed >= sequence || pending.isEmpty()) {
                    return;
                }
                batch = new ArrayList<>(pending);
                pending.clear();
                last = records;
            }
            try {
                writer.write("appending to the journal", c -> insert(c, batch));
            } catch (StateException e) {
                requeue(batch);
                throw new IOException(e.getMessage());
            } catch (RuntimeException | Error e) {
                // out of memory mid-flush: kept too, or a later sync would find nothing pending and return as if
                // these records (an intent whose call is about to be sent) were committed
                requeue(batch);
                throw e;
            }
            synchronized (this) {
                flushed = last;
                syncs++;
            }
        }
    }

    /** Puts a batch that was not committed back before what was appended meanwhile. */
    private synchronized void requeue(List<byte[]> batch) {
        pending.addAll(0, batch);
    }

    @Override
    public void syncAll() throws IOException {
        long last;
        synchronized (this) {
            last = records;
        }
        sync(last);
    }

    @Override
    public synchronized long size() {
        return size;
    }

    @Override
    public void replace(Collection<JournalRecord.Intent> intents) throws IOException {
        List<byte[]> lines = intents.stream().map(JournalCodec::encode).toList();
        synchronized (flushing) {
            try {
                writer.write("replacing the journal", c -> {
                    delete(c);
                    insert(c, lines);
                });
            } catch (StateException e) {
                throw new IOException(e.getMessage());
            }
            synchronized (this) {
                pending.clear();
                flushed = records;
                size = lines.stream().mapToLong(l -> l.length).sum();
                bytes += size;
                syncs++;
            }
        }
    }

    @Override
    public void delete() throws IOException {
        synchronized (flushing) {
            try {
                writer.write("removing the journal", this::delete);
            } catch (StateException e) {
                throw new IOException(e.getMessage());
            }
            synchronized (this) {
                pending.clear();
                deleted = true;
                size = 0;
            }
        }
    }

    private void delete(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE workspace = ?")) {
            s.setString(1, workspace);
            s.executeUpdate();
        }
    }

    /** Inserts the lines, in order, in one statement per 500. */
    void insert(Connection c, List<byte[]> lines) throws SQLException {
        insertLines(c, table, workspace, lines);
    }

    static void insertLines(Connection c, String table, String workspace, List<byte[]> lines) throws SQLException {
        for (int from = 0; from < lines.size(); from += 500) {
            List<byte[]> chunk = lines.subList(from, Math.min(lines.size(), from + 500));
            StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (workspace, record) VALUES ");
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append("(?, ?::jsonb)");
            }
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                int p = 1;
                for (byte[] line : chunk) {
                    s.setString(p++, workspace);
                    s.setString(p++, new String(line, StandardCharsets.UTF_8).strip());
                }
                s.executeUpdate();
            }
        }
    }

    @Override
    public synchronized long records() {
        return records;
    }

    @Override
    public synchronized long syncs() {
        return syncs;
    }

    @Override
    public synchronized long bytesWritten() {
        return bytes;
    }

    @Override
    public String describe() {
        return "the journal of " + where;
    }

    /** Commits what is still pending (a result appended last); a journal that cannot be reached keeps what it had. */
    @Override
    public void close() {
        try {
            syncAll();
        } catch (IOException ignored) {
            // the records committed so far are the journal; the next run resolves the rest from the remote side
        }
    }

    /**
     * The journal of {@code workspace}, oldest first, each intent as old as the server says it is at the latest.
     *
     * @param now   this runner's clock
     * @param where the store, for messages
     */
    static List<JournalRecord> read(Connection c, String schema, String workspace, Instant now, String where)
            throws SQLException, StateException {
        List<JournalRecord> records = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT record::text, written_at, seq, clock_timestamp()"
                + " - written_at FROM " + schema + ".certform_journal WHERE workspace = ? ORDER BY seq")) {
            s.setString(1, workspace);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    try {
                        JournalRecord record = JournalCodec.decode(r.getString(1), r.getTimestamp(2).toInstant());
                        records.add(onThisClock(record, now, age(r.getObject(4, PGInterval.class))));
                    } catch (JournalCodec.BadLine e) {
                        throw new StateException("the journal of " + where + " has a record certform cannot"
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
}
