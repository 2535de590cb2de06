package io.certform.state;

import java.io.IOException;
import java.util.Collection;

/**
 * The journal as a recorder writes it: appends, group-committed syncs, and atomic replacement. One implementation
 * per store ({@code state.local.Journal} for a file, {@code state.postgres.PostgresJournal} for a workspace).
 */
public interface JournalLog extends AutoCloseable {

    /** Appends a record, not yet durable; returns its sequence number for {@link #sync(long)}. */
    long append(JournalRecord record) throws IOException;

    /**
     * As {@link #append(JournalRecord)}, with the record already encoded by {@link JournalCodec#encode} (a recorder
     * encodes before it takes its lock, so that encoding is neither serialized nor done twice).
     */
    default long append(JournalRecord record, byte[] encoded) throws IOException {
        return append(record);
    }

    /** Returns once every record up to {@code sequence} is durable; concurrent callers share one fsync. */
    void sync(long sequence) throws IOException;

    /** Makes every record appended so far durable. */
    void syncAll() throws IOException;

    /** Bytes in the journal now (what compaction is measured against). */
    long size();

    /** Replaces the journal, atomically, with exactly {@code intents}; appends then continue after them. */
    void replace(Collection<JournalRecord.Intent> intents) throws IOException;

    /** Removes the journal (durably). Nothing may be appended afterwards. */
    void delete() throws IOException;

    long records();

    long syncs();

    long bytesWritten();

    String describe();

    @Override
    void close() throws IOException;
}
