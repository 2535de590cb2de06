package io.certform.state;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where state lives, with its history, its write-ahead journal and its lock. The store is the only place that
 * opens, appends to, compacts or deletes the journal. Every implementation passes one contract suite
 * ({@code StateStoreContract}).
 *
 * <p>Writes are atomic (a reader sees the old state or the new) and optimistic: a write must follow the stored
 * state (same lineage, next serial), and the state it replaces is kept in the history.
 */
public interface StateStore extends AutoCloseable {

    /** How many previous states a store keeps. */
    int HISTORY = 10;

    /** Journal size past which a run compacts mid-run, by default: 64 MiB. */
    long COMPACT_AT = 64L << 20;

    /** The committed state (the journal not applied), or an empty one with a new lineage (serial 0) when none. */
    State read() throws StateException;

    /**
     * The gateway each provider of this run talks to, by provider name (a null gateway: not known yet): from now on,
     * {@link #read()} refuses a state that records another for a provider, or records objects of a provider not
     * named here, and gives a state that records none for a provider this one, so that the next write records it
     * ({@link Gateway#check(State, java.util.Map, String, Gateway.JournalPending)}).
     */
    void expectGateways(java.util.Map<String, Gateway> gateways);

    /** {@link #expectGateways} with the one provider {@code default} talking to {@code gateway} (null: not known). */
    default void expectGateway(Gateway gateway) {
        java.util.Map<String, Gateway> one = new java.util.HashMap<>();
        one.put(ResourceState.DEFAULT_PROVIDER, gateway);
        expectGateways(gateway == null ? null : one);
    }

    /**
     * Replaces the stored state with {@code next}, keeping the one it replaces in the history.
     *
     * @throws StateConflictException when the stored state has another lineage or its serial is not
     *                                {@code next.serial() - 1} (serial 1 when nothing is stored); nothing is written
     */
    void write(State next) throws StateException;

    /** What an interrupted run left in the journal, oldest first; empty when there is no journal. */
    List<JournalRecord> journal() throws StateException;

    /**
     * Starts recording a run whose results are folded into {@code base}. Intents a settled run left open (a journal
     * of intents only) are carried: they stay open, in the journal, until a result closes them. Refused when the
     * journal holds an interrupted run's results (settle it first) or when {@code base} is not the stored state's
     * lineage and serial.
     */
    RunRecorder record(State base) throws StateException;

    /**
     * Recovery's last act: writes {@code next} and leaves a journal holding exactly {@code stillOpen} (none: the
     * journal is deleted). A crash at any moment leaves either the old state and journal, or the new state with
     * a journal whose replay onto it changes nothing but the open intents, which are resolved again.
     */
    void settle(State next, List<JournalRecord.Intent> stillOpen) throws StateException;

    /** The current state and the kept previous ones, newest first. */
    List<StateVersion> history() throws StateException;

    /**
     * When the current state was written, or null without one: what {@code certform report} shows. The newest of
     * {@link #history}, unless a store knows it more cheaply (a local store's history parses every kept state).
     */
    default java.time.Instant writtenAt() throws StateException {
        List<StateVersion> versions = history();
        return versions.isEmpty() ? null : versions.get(0).writtenAt();
    }

    /** The current or a kept state with this serial. */
    Optional<State> version(long serial) throws StateException;

    /**
     * Takes the state lock for {@code operation}, waiting up to {@code timeout} (zero: fail at once).
     *
     * @throws StateLockException naming the holder when it is held elsewhere
     */
    Held lock(String operation, Duration timeout) throws StateLockException, InterruptedException;

    /**
     * Releases a lock whose holder is gone; returns the lock released. Refused, naming the holder, when it is still
     * held by a live run; a store whose locks die with their process explains that there is nothing to release.
     */
    StateLock forceUnlock(String id) throws StateLockException;

    /**
     * Takes over another store's states ({@code versions}, oldest first, one lineage): each one newer than the stored
     * state is kept with its serial, the newest becoming the current state ({@code certform state migrate}).
     *
     * @throws StateConflictException when this store holds another lineage, or a serial past the newest version;
     *                                nothing is written
     */
    void adopt(List<State> versions) throws StateException;

    /** Who holds the lock now, when the store can tell (a lease); empty when unlocked or not known. */
    default Optional<StateLock> holder() throws StateException {
        return Optional.empty();
    }

    /** Checks, before any remote call, that a write would succeed. */
    void checkWritable() throws StateException;

    /** Where the state is, for messages. */
    String describe();

    /** Releases what the store holds open (a lock it holds, a connection). */
    @Override
    default void close() {
    }

    /** A held state lock; closing it releases it. */
    interface Held extends AutoCloseable {
        StateLock lock();

        @Override
        void close();
    }
}
