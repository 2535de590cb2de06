package io.certform.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The write-ahead journal beside the state ({@code <state>.journal}): one JSON record per line, appended, and made
 * durable with group commit. A thread that needs its record on disk calls {@link #sync(long)}; while one thread
 * fsyncs, the others append, and the next fsync covers all of them, so N concurrent completions cost far fewer
 * than N fsyncs. The state file is compacted from state + journal at the end of a run and at safe points.
 */
public final class Journal implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final Path file;
    private final FileChannel channel;
    private final ReentrantLock syncLock = new ReentrantLock();
    private long written;
    private volatile long synced;
    private volatile long syncs;

    private Journal(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** The journal of a state file. */
    public static Path fileFor(Path stateFile) {
        return stateFile.resolveSibling(stateFile.getFileName() + ".journal");
    }

    /** Opens (creating, mode 0600) the journal for appending. */
    public static Journal open(Path file) throws IOException {
        if (!Files.exists(file) && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        return new Journal(file, channel);
    }

    /** Appends a record (not yet durable); returns its sequence number for {@link #sync(long)}. */
    public synchronized long append(JournalRecord record) throws IOException {
        ByteBuffer line = ByteBuffer.wrap((JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8));
        while (line.hasRemaining()) {
            channel.write(line);
        }
        return ++written;
    }

    /** Returns once every record up to {@code sequence} is on disk. */
    public void sync(long sequence) throws IOException {
        if (synced >= sequence) {
            return;
        }
        syncLock.lock();
        try {
            if (synced >= sequence) {
                return;
            }
            long target;
            synchronized (this) {
                target = written;
            }
            channel.force(false);
            synced = target;
            syncs++;
        } finally {
            syncLock.unlock();
        }
    }

    /** Appends and waits until the record is durable. */
    public void appendDurably(JournalRecord record) throws IOException {
        sync(append(record));
    }

    /** Empties the journal once its content is in the state file. */
    public synchronized void truncate() throws IOException {
        syncLock.lock();
        try {
            channel.truncate(0);
            channel.force(true);
        } finally {
            syncLock.unlock();
        }
    }

    /** How many fsyncs this journal made: the cost of durability. */
    public long syncCount() {
        return syncs;
    }

    public synchronized long recordCount() {
        return written;
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /**
     * Reads a journal; a last line cut short by a crash is ignored (its call was never sent: the intent was not
     * durable). A damaged line elsewhere is an error.
     */
    public static List<JournalRecord> read(Path file) throws StateException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new StateException("cannot read the journal " + file + ": " + e.getClass().getSimpleName(), e);
        }
        List<JournalRecord> records = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                records.add(JSON.readValue(line, JournalRecord.class));
            } catch (JacksonException e) {
                if (i == lines.size() - 1) {
                    break;
                }
                throw new StateException(file + ":" + (i + 1) + ": the journal is damaged (" + e.getOriginalMessage()
                        + "). Restore the state from its backup, or remove the journal after checking the remote"
                        + " side with 'certform refresh'.");
            }
        }
        return records;
    }
}
