package io.certform.state.local;

import io.certform.state.JournalCodec;
import io.certform.state.JournalLog;
import io.certform.state.JournalRecord;
import io.certform.state.StateException;
import io.certform.base.CrashPoint;
import io.certform.base.FileSync;
import io.certform.base.IoFault;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The write-ahead journal beside a state file ({@code <state>.journal}, 0600): one JSON record per line
 * ({@link JournalCodec}), appended, and made durable with group commit. A thread that needs its record on disk
 * calls {@link #sync(long)}; while one thread fsyncs, the others append, and the next fsync covers all of them. The
 * fsync runs outside the lock. When it ends, the threads whose records it covered are woken and return at once; of
 * those whose records came after it, only one is woken, to run the next fsync, and the others sleep on until that
 * one ends (waking them all only to have all but one wait again was half of apply's thread switches).
 * Creating the journal makes its folder entry durable; replacing it writes a temporary file, fsyncs it, renames it
 * over the journal and fsyncs the folder, so a crash leaves the old journal or the new one.
 */
final class Journal implements JournalLog {

    private final Path file;
    /** Guards {@link #syncing}; held by {@link #replace} and {@link #delete}, which wait for no fsync to be under way. */
    private final ReentrantLock syncLock = new ReentrantLock();
    /** Signalled when an fsync ends: {@code ends[current]} by the one under way, the other by the one after it. */
    private final Condition[] ends = {syncLock.newCondition(), syncLock.newCondition()};
    private int current;
    private boolean syncing;
    /** The last record the fsync under way covers. */
    private long syncTarget;
    private FileChannel channel;
    private long written;
    private long size;
    private long bytes;
    private volatile long synced;
    private volatile long syncs;
    private String torn;

    private Journal(Path file, FileChannel channel, long size) {
        this.file = file;
        this.channel = channel;
        this.size = size;
    }

    /** Opens the journal for appending, creating it (0600, its folder entry fsynced) when missing. */
    static Journal open(Path file) throws IOException {
        if (!Files.exists(file)) {
            try {
                if (DurableFiles.POSIX) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
                } else {
                    Files.createFile(file);
                }
            } catch (FileAlreadyExistsException ignored) {
                // created meanwhile: appended to all the same
            }
            DurableFiles.syncFolder(file.toAbsolutePath().getParent());
        }
        cutTornTail(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        return new Journal(file, channel, channel.size());
    }

    /**
     * Cuts off a last line cut short by a crash (bytes after the last newline), durably, before anything is appended:
     * appended to, it would glue the next record to the torn bytes, and that record, an intent whose call is then
     * sent, would read as the torn line (ignored) or make the journal damaged. The torn line's call was never sent
     * (its write never completed, so it was never synced).
     */
    private static void cutTornTail(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            long end = size;
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (end > 0) {
                long from = Math.max(0, end - buffer.capacity());
                buffer.clear().limit((int) (end - from));
                while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) >= 0) {
                    // read the whole block
                }
                int newline = -1;
                for (int i = buffer.position() - 1; i >= 0; i--) {
                    if (buffer.get(i) == '\n') {
                        newline = i;
                        break;
                    }
                }
                if (newline >= 0) {
                    end = from + newline + 1;
                    break;
                }
                end = from;
            }
            if (end < size) {
                channel.truncate(end);
                FileSync.force(channel, file, true);
            }
        }
    }

    @Override
    public long append(JournalRecord record) throws IOException {
        return append(record, JournalCodec.encode(record)); // encoded outside the lock
    }

    @Override
    public long append(JournalRecord record, byte[] encoded) throws IOException {
        ByteBuffer line = ByteBuffer.wrap(encoded);
        int length = line.remaining();
        synchronized (this) {
            if (torn != null) {
                throw new IOException("an earlier record could not be written (" + torn + ")");
            }
            try {
                if (IoFault.armed()) { // a test's full disk: half the record lands, then the write fails
                    line.limit(length / 2);
                    while (line.hasRemaining()) {
                        channel.write(line);
                    }
                    line.limit(length);
                    IoFault.check("write");
                }
                while (line.hasRemaining()) {
                    channel.write(line);
                }
            } catch (IOException | Error e) {
                cutBack(e);
                throw e;
            }
            size += length;
            bytes += length;
            return ++written;
        }
    }

    /**
     * A record written in part (a full disk) is cut off, so that the journal stays whole lines and the records
     * appended after it still read. If it cannot be cut off, nothing more is appended.
     */
    private void cutBack(Throwable why) {
        try {
            if (channel.size() > size) {
                channel.truncate(size);
            }
        } catch (IOException | RuntimeException again) {
            torn = String.valueOf(why.getMessage());
        }
    }

    @Override
    public void sync(long sequence) throws IOException {
        if (synced >= sequence) {
            return;
        }
        syncLock.lock();
        try {
            while (synced < sequence) {
                if (syncing) {
                    // woken when the fsync that covers this record ends: the one under way, or the next
                    ends[sequence <= syncTarget ? current : 1 - current].awaitUninterruptibly();
                    continue;
                }
                syncing = true;
                long target;
                FileChannel open;
                synchronized (this) {
                    target = written;
                    open = channel;
                }
                syncTarget = target;
                syncLock.unlock(); // while this fsync runs, others append, and wait for it or the next one
                boolean forced = false;
                try {
                    FileSync.force(open, file, false);
                    forced = true;
                } finally {
                    syncLock.lock();
                    syncing = false;
                    if (forced) {
                        synced = target;
                        syncs++;
                    }
                    Condition ended = ends[current];
                    current = 1 - current;
                    ended.signalAll(); // covered: they return (after a failure, they try again)
                    if (forced) {
                        ends[current].signal(); // one writer of a later record runs the next fsync
                    } else {
                        ends[current].signalAll();
                    }
                }
            }
        } finally {
            syncLock.unlock();
        }
    }

    private void wakeAll() {
        ends[0].signalAll();
        ends[1].signalAll();
    }

    @Override
    public void syncAll() throws IOException {
        long target;
        synchronized (this) {
            target = written;
        }
        sync(target);
    }

    @Override
    public synchronized long size() {
        return size;
    }

    @Override
    public void replace(Collection<JournalRecord.Intent> intents) throws IOException {
        syncLock.lock();
        try {
            while (syncing) {
                ends[current].awaitUninterruptibly();
            }
            synchronized (this) {
                bytes += rewrite(file, intents);
                channel.close();
                channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                size = channel.size();
                synced = written;
            }
            wakeAll(); // every record is durable now: no writer waits for an fsync
        } finally {
            syncLock.unlock();
        }
    }

    @Override
    public void delete() throws IOException {
        syncLock.lock();
        try {
            while (syncing) {
                ends[current].awaitUninterruptibly();
            }
            synchronized (this) {
                channel.close();
                remove(file);
                size = 0;
                synced = written;
            }
            wakeAll(); // every record is durable now: no writer waits for an fsync
        } finally {
            syncLock.unlock();
        }
    }

    /**
     * Replaces {@code file} with exactly {@code intents}: temporary file, fsync, rename, folder fsync. Returns the
     * bytes written.
     */
    static long rewrite(Path file, Collection<JournalRecord.Intent> intents) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (JournalRecord.Intent intent : intents) {
            out.writeBytes(JournalCodec.encode(intent));
        }
        Path folder = file.toAbsolutePath().getParent();
        Path temp = DurableFiles.createTemp(folder, file.getFileName().toString());
        try {
            DurableFiles.writeDurably(temp, out.toByteArray());
            CrashPoint.reach("mid-compaction");
            DurableFiles.move(temp, file);
            temp = null;
            DurableFiles.syncFolder(folder);
        } finally {
            if (temp != null) {
                DurableFiles.deleteQuietly(temp);
            }
        }
        return out.size();
    }

    /** Deletes {@code file} durably (its folder fsynced). */
    static void remove(Path file) throws IOException {
        if (Files.deleteIfExists(file)) {
            DurableFiles.syncFolder(file.toAbsolutePath().getParent());
        }
    }

    @Override
    public synchronized long records() {
        return written;
    }

    @Override
    public long syncs() {
        return syncs;
    }

    @Override
    public synchronized long bytesWritten() {
        return bytes;
    }

    @Override
    public String describe() {
        return file.toString();
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }

    /**
     * Reads a journal; a last line cut short by a crash is ignored (its call was never sent: the intent was not
     * durable). A damaged line elsewhere is an error.
     */
    static List<JournalRecord> read(Path file) throws StateException {
        List<JournalRecord> records = new ArrayList<>();
        try (java.io.BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Instant modified = Files.getLastModifiedTime(file).toInstant();
            String bad = null;
            int badAt = 0;
            int number = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) { // one line at a time
                number++;
                if (line.isBlank()) {
                    continue;
                }
                if (bad != null) {
                    throw damaged(file, badAt, bad);
                }
                try {
                    records.add(JournalCodec.decode(line, modified));
                } catch (JournalCodec.BadLine e) {
                    bad = e.getMessage();
                    badAt = number;
                }
            }
            if (bad != null && badAt != number) {
                throw damaged(file, badAt, bad); // blank lines after it: not a last line cut short
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new StateException("cannot read the journal " + file + ": " + e.getClass().getSimpleName()
                    + ". Check that it is readable by the user running certform.", e);
        }
        return records;
    }

    private static StateException damaged(Path file, int line, String why) {
        return new StateException(file + ":" + line + ": the journal is damaged (" + why
                + "). Every command that reads this state stops here. Move the journal aside (mv " + file + " "
                + file + ".damaged), then run 'certform plan': it judges each binding against what its domain"
                + " carries now, so a certificate the interrupted run already bound is adopted, never uploaded again.");
    }
}
