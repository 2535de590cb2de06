package io.certform.state;

/** Where state lives. Implementations replace their content atomically: a reader sees the old or the new state. */
public interface StateStore {

    /** The stored state, or an empty one with a new lineage when there is none yet. */
    State read() throws StateException;

    /** Replaces the stored state with {@code state}. */
    void write(State state) throws StateException;

    /** Checks, before any remote call, that a write would succeed (folder exists and is writable). */
    void checkWritable() throws StateException;

    /** Where the state is, for messages. */
    String describe();

    /** The write-ahead journal of this state. */
    java.nio.file.Path journalFile();
}
