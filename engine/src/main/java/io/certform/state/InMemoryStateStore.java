package io.certform.state;

import io.certform.base.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A store in memory, for fast tests: the same contract as {@link io.certform.state.local.LocalStateStore} (succession, history, journal,
 * recorder, lock), nothing durable. Its journal keeps the records themselves; its lock is held per store.
 */
public final class InMemoryStateStore implements StateStore {

    private final String certformVersion;
    private final Clock clock;
    private final Sleeper sleeper;
    private final long compactAt;
    private final Deque<StateVersionAndState> history = new ArrayDeque<>();
    private final List<JournalRecord> journal = new ArrayList<>();
    private StateVersionAndState current;
    private StateLock holder;

    private record StateVersionAndState(StateVersion version, State state) {
    }

    public InMemoryStateStore(String certformVersion) {
        this(certformVersion, Clock.systemUTC(), Sleeper.SYSTEM, StateStore.COMPACT_AT);
    }

    /** @param compactAt journal bytes (as the local store would write them) past which a run compacts mid-run */
    public InMemoryStateStore(String certformVersion, Clock clock, Sleeper sleeper, long compactAt) {
        this.certformVersion = certformVersion;
        this.clock = clock;
        this.sleeper = sleeper;
        this.compactAt = compactAt;
    }

    @Override
    public synchronized State read() throws StateException {
        return Gateway.check(current == null ? State.empty(certformVersion) : current.state(), gateway, describe(),
                () -> !journal.isEmpty());
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

    @Override
    public synchronized void adopt(List<State> versions) throws StateException {
        if (versions.isEmpty()) {
            return;
        }
        State stored = current == null ? null : current.state();
        Adoption.check(stored, versions, describe());
        for (State v : versions) {
            if (stored == null || v.serial() > stored.serial()) {
                keep(v);
            }
        }
    }

    private synchronized long writeCounted(State next) throws StateException {
        Succession.check(current == null ? null : current.state(), next, describe());
        return keep(next);
    }

    private synchronized long keep(State next) {
        if (current != null) {
            history.addFirst(current);
            while (history.size() > HISTORY) {
                history.removeLast();
            }
        }
        current = new StateVersionAndState(StateVersion.of(next, clock.instant()), next);
        return 0; // nothing is written to a disk
    }

    @Override
    public synchronized List<JournalRecord> journal() {
        return List.copyOf(journal);
    }

    @Override
    public synchronized RunRecorder record(State base) throws StateException {
        if (journal.stream().anyMatch(r -> !(r instanceof JournalRecord.Intent))) {
            throw new StateException("the journal of " + describe() + " holds " + journal.size() + " record(s) of an"
                    + " interrupted run; they must be settled before another run is recorded. Nothing was sent.");
        }
        Succession.checkBase(current == null ? null : current.state(), base, describe());
        return new DurableRecorder(base, JournalRecord.openIntents(journal), new MemoryLog(), this::writeCounted,
                certformVersion, compactAt);
    }

    @Override
    public synchronized void settle(State next, List<JournalRecord.Intent> stillOpen) throws StateException {
        writeCounted(next);
        journal.clear();
        journal.addAll(stillOpen);
    }

    @Override
    public synchronized List<StateVersion> history() {
        List<StateVersion> versions = new ArrayList<>();
        if (current != null) {
            versions.add(current.version());
        }
        history.forEach(kept -> versions.add(kept.version()));
        return versions;
    }

    @Override
    public synchronized Optional<State> version(long serial) {
        if (current != null && current.state().serial() == serial) {
            return Optional.of(current.state());
        }
        return history.stream().map(StateVersionAndState::state).filter(s -> s.serial() == serial).findFirst();
    }

    @Override
    public Held lock(String operation, Duration timeout) throws StateLockException, InterruptedException {
        return LockWait.until(clock, sleeper, timeout, new LockWait.Attempt() {
            @Override
            public Held tryOnce() {
                synchronized (InMemoryStateStore.this) {
                    if (holder != null) {
                        return null;
                    }
                    StateLock mine = new StateLock(UUID.randomUUID().toString(), operation, "memory",
                            ProcessHandle.current().pid(), clock.instant().toString(), "memory");
                    holder = mine;
                    return new Held() {
                        @Override
                        public StateLock lock() {
                            return mine;
                        }

                        @Override
                        public void close() {
                            synchronized (InMemoryStateStore.this) {
                                if (holder == mine) {
                                    holder = null;
                                }
                            }
                        }
                    };
                }
            }

            @Override
            public StateLockException busy() {
                synchronized (InMemoryStateStore.this) {
                    return new StateLockException(LockWait.lockedBy(holder, describe(), "Close the holder's lock."),
                            holder);
                }
            }
        });
    }

    @Override
    public synchronized StateLock forceUnlock(String id) throws StateLockException {
        if (holder == null) {
            throw new StateLockException("the state is not locked, so there is nothing to unlock.", null);
        }
        if (!holder.id().equals(id)) {
            throw new StateLockException("the lock's id is " + holder.id() + ", not " + id
                    + ". Check the id in the error that named the lock.", holder);
        }
        StateLock released = holder;
        holder = null;
        return released;
    }

    @Override
    public void checkWritable() {
        // memory is always writable
    }

    @Override
    public String describe() {
        return "the in-memory state";
    }

    /** The journal as a list of records; sizes are counted as the local journal would write them. */
    private final class MemoryLog implements JournalLog {
        private long records;
        private long syncs;
        private long size;
        private long bytes;
        private long synced;

        @Override
        public long append(JournalRecord record) {
            return append(record, JournalCodec.encode(record));
        }

        @Override
        public long append(JournalRecord record, byte[] encoded) {
            int length = encoded.length;
            synchronized (InMemoryStateStore.this) {
                journal.add(record);
                size += length;
                bytes += length;
                return ++records;
            }
        }

        @Override
        public void sync(long sequence) {
            synchronized (InMemoryStateStore.this) {
                if (synced < sequence) {
                    synced = records;
                    syncs++;
                }
            }
        }

        @Override
        public void syncAll() {
            sync(records());
        }

        @Override
        public long size() {
            synchronized (InMemoryStateStore.this) {
                return size;
            }
        }

        @Override
        public void replace(Collection<JournalRecord.Intent> intents) {
            synchronized (InMemoryStateStore.this) {
                journal.clear();
                journal.addAll(intents);
                size = intents.stream().mapToLong(i -> JournalCodec.encode(i).length).sum();
                bytes += size;
                synced = records;
            }
        }

        @Override
        public void delete() {
            synchronized (InMemoryStateStore.this) {
                journal.clear();
                size = 0;
            }
        }

        @Override
        public long records() {
            synchronized (InMemoryStateStore.this) {
                return records;
            }
        }

        @Override
        public long syncs() {
            synchronized (InMemoryStateStore.this) {
                return syncs;
            }
        }

        @Override
        public long bytesWritten() {
            synchronized (InMemoryStateStore.this) {
                return bytes;
            }
        }

        @Override
        public String describe() {
            return "the in-memory journal";
        }

        @Override
        public void close() {
            // nothing to release
        }
    }
}
