package io.certform.state;

import java.util.List;

/**
 * Records one run as it goes, through the store's write-ahead journal. Thread-safe: workers call it concurrently.
 *
 * <p>An intent is durable when {@link #intend} returns, and only then may its call be sent; concurrent intents share
 * fsyncs (group commit). Results are appended as they arrive and folded into the state once, by {@link #finish}
 * (and mid-run only when the journal grows past the store's size threshold). A method that cannot write the
 * journal throws {@link JournalFailure}: stop sending.
 */
public interface RunRecorder extends AutoCloseable {

    /** Makes the intent durable; only then may its call be sent. */
    void intend(JournalRecord.Intent intent);

    /**
     * Makes every intent durable, together (one sync where the journal allows it); only then may their call be
     * sent. A batch call (the shared model's attach and detach) names many objects at once.
     */
    default void intendAll(List<JournalRecord.Intent> intents) {
        intents.forEach(this::intend);
    }

    /** The call succeeded; closes the address's open intent. */
    void done(JournalRecord.Done done);

    /** The call is known not to have happened; closes the open intent of the object it names. */
    void voided(JournalRecord.Voided voided);

    /** The call on the live object at {@code address} is known not to have happened. */
    default void voided(String address) {
        voided(new JournalRecord.Voided(address));
    }

    /**
     * Writes the state with every result folded in, and leaves a journal holding only the intents still open (with
     * their original {@code at}), or none. Once only; the recorder is closed afterwards.
     */
    State finish() throws StateException;

    /** How many intents have no result yet. */
    int openIntents();

    /** The intents without a result yet, oldest first. */
    List<JournalRecord.Intent> open();

    Stats stats();

    /** Stops recording without folding: the journal stays as it is, for the next run to settle. */
    @Override
    void close();

    /**
     * What recording cost.
     *
     * @param records      journal records appended
     * @param fsyncs       journal fsyncs they cost
     * @param compactions  state writes: the mid-run compactions and the final fold
     * @param bytesWritten journal and state bytes written
     */
    record Stats(long records, long fsyncs, int compactions, long bytesWritten) {
    }
}
