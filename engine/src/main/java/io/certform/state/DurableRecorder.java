package io.certform.state;

import io.certform.base.CrashPoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link RunRecorder} of every store: a journal ({@link JournalLog}) and a compact in-memory map of the
 * bindings (no PEM). Results are folded into the state once, at {@link #finish}; mid-run only when the journal has
 * grown past {@code compactAt} bytes and past the size of the state last written, so that each compaction is paid
 * for by as many journal bytes, and the bytes written stay linear in the size of the change. A compaction
 * writes the state, then replaces the journal atomically with the intents still open: a crash between the two
 * leaves the old journal, whose replay onto the new state changes nothing.
 */
public final class DurableRecorder implements RunRecorder {

    /** Writes a state through its store; returns the bytes written. */
    @FunctionalInterface
    public interface StateWriter {
        long write(State next) throws StateException;
    }

    private final JournalLog log;
    private final StateWriter writer;
    private final String version;
    private final long compactAt;
    private final Map<String, ResourceState> resources = new LinkedHashMap<>(); // by key: live and deposed apart
    private final Map<String, JournalRecord.Intent> open = new LinkedHashMap<>();
    private State written;
    private int compactions;
    private long stateBytes;
    private long lastStateBytes;
    private boolean closed;

    /** @param carried intents a settled run left open, already in the journal */
    public DurableRecorder(State base, List<JournalRecord.Intent> carried, JournalLog log, StateWriter writer, String version,
                    long compactAt) {
        this.log = log;
        this.writer = writer;
        this.version = version;
        this.compactAt = compactAt;
        this.written = base;
        base.resources().forEach(r -> resources.put(r.key(), r));
        carried.forEach(intent -> open.put(intent.key(), intent));
    }

    @Override
    public void intend(JournalRecord.Intent intent) {
        intendAll(List.of(intent));
    }

    @Override
    public void intendAll(List<JournalRecord.Intent> intents) {
        if (intents.isEmpty()) {
            return;
        }
        byte[][] lines = new byte[intents.size()][];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = JournalCodec.encode(intents.get(i)); // before the lock: writers do not queue behind encoding
        }
        long sequence = 0;
        synchronized (this) {
            ensureOpen();
            for (int i = 0; i < lines.length; i++) {
                JournalRecord.Intent intent = intents.get(i);
                // first: an intent that could not be journalled is not open (never sent)
                sequence = append(intent, lines[i]);
                open.remove(intent.key());
                open.put(intent.key(), intent);
            }
        }
        try {
            log.sync(sequence);
        } catch (IOException e) {
            throw failure("cannot sync the journal", e);
        }
        intents.forEach(i -> CrashPoint.reach("after-intent"));
    }

    @Override
    public void done(JournalRecord.Done done) {
        byte[] line = JournalCodec.encode(done);
        synchronized (this) {
            ensureOpen();
            if (done.resource() != null) {
                resources.put(done.key(), done.resource());
            } else {
                resources.remove(done.key());
            }
            open.remove(done.key());
            append(done, line);
        }
        CrashPoint.reach("after-done");
        maybeCompact();
    }

    @Override
    public void voided(JournalRecord.Voided voided) {
        byte[] line = JournalCodec.encode(voided);
        synchronized (this) {
            ensureOpen();
            open.remove(voided.key());
            append(voided, line);
        }
        maybeCompact();
    }

    @Override
    public synchronized State finish() throws StateException {
        ensureOpen();
        closed = true;
        try {
            State next;
            try {
                next = fold();
            } catch (IOException e) {
                throw new StateException("cannot sync the journal " + log.describe() + ": " + e.getMessage()
                        + ". The state was not written; the journal is kept for the next run to settle.", e);
            }
            try {
                if (open.isEmpty()) {
                    log.delete();
                } else {
                    log.replace(open.values());
                }
            } catch (IOException e) {
                throw new StateException("cannot replace the journal " + log.describe() + ": " + e.getMessage()
                        + ". The state is written; the journal's records replay onto it unchanged.", e);
            }
            return next;
        } finally {
            closeLog();
        }
    }

    @Override
    public synchronized int openIntents() {
        return open.size();
    }

    @Override
    public synchronized List<JournalRecord.Intent> open() {
        return List.copyOf(open.values());
    }

    @Override
    public synchronized Stats stats() {
        return new Stats(log.records(), log.syncs(), compactions, log.bytesWritten() + stateBytes);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            closeLog();
        }
    }

    /** Syncs the journal, then writes the state with every result so far. */
    private State fold() throws StateException, IOException {
        log.syncAll();
        State next = written.next(new ArrayList<>(resources.values()), version);
        lastStateBytes = writer.write(next);
        stateBytes += lastStateBytes;
        written = next;
        compactions++;
        CrashPoint.reach("mid-compaction");
        return next;
    }

    private void maybeCompact() {
        synchronized (this) {
            if (closed || log.size() < Math.max(compactAt, lastStateBytes)) {
                return;
            }
            try {
                fold();
                log.replace(open.values());
            } catch (StateException e) {
                throw new JournalFailure(e);
            } catch (IOException e) {
                throw failure("cannot compact the journal", e);
            }
        }
    }

    private long append(JournalRecord record, byte[] line) {
        try {
            return log.append(record, line);
        } catch (IOException e) {
            throw failure("cannot append to the journal", e);
        }
    }

    private JournalFailure failure(String what, IOException e) {
        return new JournalFailure(new StateException(what + " " + log.describe() + ": " + e.getMessage()
                + ". Nothing further is sent; run certform again once the cause is fixed.", e));
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the run's recording is finished");
        }
    }

    private void closeLog() {
        try {
            log.close();
        } catch (IOException ignored) {
            // every record was synced; closing an append-only channel loses nothing
        }
    }
}
