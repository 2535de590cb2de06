package io.certform.apply;

import io.certform.state.Journal;
import io.certform.state.JournalRecord;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.state.StateException;
import io.certform.state.StateStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Records an apply as it goes, through the write-ahead journal: an intent is durable before its call is sent, and
 * each result is appended as it arrives (group-committed). The state file is rewritten only at compaction: every
 * {@code compactEvery} results and at the end. Compaction re-appends the intents still in flight, so a crash at any
 * moment leaves state + journal describing everything that may have happened.
 */
final class DurableRecorder implements Recorder {
    private final StateStore store;
    private final Journal journal;
    private final String version;
    private final int compactEvery;
    private final Map<String, ResourceState> resources = new LinkedHashMap<>();
    private final Map<String, JournalRecord> inFlight = new LinkedHashMap<>();
    private State written;
    private int sinceCompaction;
    private int compactions;

    DurableRecorder(StateStore store, State prior, Journal journal, String version, int compactEvery) {
        this.store = store;
        this.journal = journal;
        this.version = version;
        this.compactEvery = compactEvery;
        this.written = prior;
        prior.resources().forEach(r -> resources.put(r.address(), r));
    }

    /** Makes the intent durable; only then may the call be sent. */
    @Override
    public void intend(JournalRecord intent) {
        long sequence;
        synchronized (this) {
            inFlight.put(intent.address(), intent);
            sequence = append(intent);
        }
        sync(sequence);
    }

    @Override
    public void bound(ResourceState resource) {
        synchronized (this) {
            resources.put(resource.address(), resource);
            inFlight.remove(resource.address());
            append(JournalRecord.bound(resource));
            sinceCompaction++;
        }
        maybeCompact();
    }

    @Override
    public void unbound(String address) {
        synchronized (this) {
            resources.remove(address);
            inFlight.remove(address);
            append(JournalRecord.unbound(address));
            sinceCompaction++;
        }
        maybeCompact();
    }

    /** The intent's call did not happen. */
    @Override
    public synchronized void voided(String address) {
        inFlight.remove(address);
        append(JournalRecord.voided(address));
    }

    /** Compacts: writes the state, empties the journal, and re-appends the intents still in flight. */
    synchronized State compact() throws StateException {
        try {
            journal.sync(journal.recordCount());
        } catch (IOException e) {
            throw new StateException("cannot sync the journal " + journal.file() + ": " + e.getMessage(), e);
        }
        State next = written.next(new ArrayList<>(resources.values()), version);
        store.write(next);
        written = next;
        try {
            journal.truncate();
            for (JournalRecord intent : inFlight.values()) {
                journal.append(intent);
            }
            journal.sync(journal.recordCount());
        } catch (IOException e) {
            throw new StateException("cannot reset the journal " + journal.file() + ": " + e.getMessage(), e);
        }
        sinceCompaction = 0;
        compactions++;
        return next;
    }

    /** Intents whose outcome is still unknown: their journal must be kept for the next run. */
    synchronized int openIntents() {
        return inFlight.size();
    }

    synchronized int compactions() {
        return compactions;
    }

    private void maybeCompact() {
        synchronized (this) {
            if (sinceCompaction < compactEvery) {
                return;
            }
        }
        try {
            compact();
        } catch (StateException e) {
            throw new JournalFailure(e);
        }
    }

    private long append(JournalRecord record) {
        try {
            return journal.append(record);
        } catch (IOException e) {
            throw new JournalFailure(new StateException("cannot append to the journal " + journal.file() + ": "
                    + e.getMessage(), e));
        }
    }

    private void sync(long sequence) {
        try {
            journal.sync(sequence);
        } catch (IOException e) {
            throw new JournalFailure(new StateException("cannot sync the journal " + journal.file() + ": "
                    + e.getMessage(), e));
        }
    }

    /** A journal that cannot be written stops the run: nothing further may be sent. */
    static final class JournalFailure extends RuntimeException {
        final StateException cause;

        JournalFailure(StateException cause) {
            super(cause.getMessage(), cause);
            this.cause = cause;
        }
    }
}
