package io.certform.state.postgres;

import io.certform.state.JournalCodec;
import io.certform.state.JournalLog;
import io.certform.state.JournalRecord;
import io.certform.state.StateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

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
        byte[] line = JournalCodec.encode(record);
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
}
