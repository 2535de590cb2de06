package io.certform.state.local;

import io.certform.state.LockWait;
import io.certform.state.LockCodec;
import io.certform.state.StateLock;
import io.certform.state.StateLockException;
import io.certform.state.StateStore;
import io.certform.base.FileSync;
import io.certform.base.LibraryText;
import io.certform.base.Sleeper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import tools.jackson.core.JacksonException;

/**
 * The local state lock: an operating-system lock ({@link FileChannel#tryLock()}) on {@code <state>.lock}. The
 * operating system releases it when its process ends, however it ends, so a run killed with {@code kill -9} leaves
 * no lock behind. The holder writes who it is into the file for humans, and empties it when it releases the lock;
 * the file itself is never deleted (deleting a lock file another process has open would let two runs lock).
 *
 * <p>Within one JVM, locks are also registered by path: a second channel on a locked file must not be opened and
 * closed, as closing it would drop this process's lock on some systems.
 */
final class LockFile {

    private static final Map<Path, Held> HELD = new HashMap<>();
    private static final String RELEASE = "A local lock is released by the operating system when its process ends,"
            + " even if it is killed, so it is never left behind.";

    private final Path file;
    private final Path key;
    private final Clock clock;
    private final Sleeper sleeper;

    LockFile(Path stateFile, Clock clock, Sleeper sleeper) {
        this.file = stateFile.resolveSibling(stateFile.getFileName() + ".lock");
        this.key = file.toAbsolutePath().normalize();
        this.clock = clock;
        this.sleeper = sleeper;
    }

    Path file() {
        return file;
    }

    /** A lock this process holds. */
    private final class Held implements StateStore.Held {
        private final StateLock lock;
        private final FileChannel channel;
        private final FileLock fileLock;

        private Held(StateLock lock, FileChannel channel, FileLock fileLock) {
            this.lock = lock;
            this.channel = channel;
            this.fileLock = fileLock;
        }

        @Override
        public StateLock lock() {
            return lock;
        }

        @Override
        public void close() {
            synchronized (HELD) {
                if (HELD.get(key) != this) {
                    return;
                }
                HELD.remove(key);
                try {
                    channel.truncate(0);
                    fileLock.release();
                } catch (IOException ignored) {
                    // closing the channel below releases the lock all the same
                } finally {
                    try {
                        channel.close();
                    } catch (IOException ignored) {
                        // the operating system releases the lock when the process ends in any case
                    }
                }
            }
        }
    }

    /** What one attempt found. */
    private record Found(Held held, StateLock holder) {
    }

    /** Takes the lock for {@code operation}, waiting up to {@code timeout} (zero: fail at once) with backoff. */
    StateStore.Held acquire(String operation, Duration timeout) throws StateLockException, InterruptedException {
        StateLock[] holder = new StateLock[1];
        return LockWait.until(clock, sleeper, timeout, new LockWait.Attempt() {
            @Override
            public StateStore.Held tryOnce() throws StateLockException {
                Found found = attempt(operation);
                holder[0] = found.holder();
                return found.held();
            }

            @Override
            public StateLockException busy() {
                return new StateLockException(LockWait.lockedBy(holder[0], file.toString(), RELEASE), holder[0]);
            }
        });
    }

    private Found attempt(String operation) throws StateLockException {
        synchronized (HELD) {
            Held mine = HELD.get(key);
            if (mine != null) {
                return new Found(null, mine.lock());
            }
            FileChannel channel = open();
            boolean keep = false;
            try {
                FileLock fileLock;
                try {
                    fileLock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    fileLock = null;
                }
                if (fileLock == null) {
                    return new Found(null, content(channel));
                }
                StateLock lock = new StateLock(UUID.randomUUID().toString(), operation,
                        StateLock.user() + "@" + StateLock.HOST, ProcessHandle.current().pid(),
                        clock.instant().toString(), StateLock.HOST);
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(LockCodec.lockBytes(lock)), 0);
                FileSync.force(channel, file, true);
                Held held = new Held(lock, channel, fileLock);
                HELD.put(key, held);
                keep = true;
                return new Found(held, lock);
            } catch (IOException e) {
                throw cannotUse(e);
            } finally {
                if (!keep) {
                    try {
                        channel.close();
                    } catch (IOException ignored) {
                        // this process held no lock on the file
                    }
                }
            }
        }
    }

    /**
     * A local lock cannot be forced: if a live process holds it, that process is named; if none does, the
     * operating system has already released it.
     */
    StateLock forceUnlock(String id) throws StateLockException {
        synchronized (HELD) {
            Held mine = HELD.get(key);
            if (mine != null) {
                throw new StateLockException(running(mine.lock()), mine.lock());
            }
            FileChannel channel = open();
            try {
                FileLock fileLock;
                try {
                    fileLock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    fileLock = null;
                }
                StateLock last = content(channel);
                if (fileLock == null) {
                    throw new StateLockException(running(last), last);
                }
                fileLock.release();
                String previous = last == null ? "" : " (it was last taken by " + last.who() + ", pid " + last.pid()
                        + ", for " + last.operation() + " at " + last.created() + "; that process has ended)";
                throw new StateLockException("the state is not locked, so there is nothing to unlock" + previous
                        + ". The operating system releases a local lock when the process that took it ends, even"
                        + " if it is killed: run certform again.", last);
            } catch (IOException e) {
                throw new StateLockException("cannot check the lock " + file + ": " + e.getClass().getSimpleName(),
                        null);
            } finally {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing held
                }
            }
        }
    }

    private String running(StateLock holder) {
        String who = holder == null ? "a running process"
                : "a running process: " + holder.who() + ", pid " + holder.pid() + ", for " + holder.operation()
                + " since " + holder.created() + " (lock id " + holder.id() + ")";
        return "the state is locked by " + who + ". A local lock is held by the operating system for as long as"
                + " its process runs, and cannot be forced: wait for that run to finish, or stop it; the lock is"
                + " released when it ends.";
    }

    private FileChannel open() throws StateLockException {
        try {
            if (DurableFiles.POSIX) {
                return FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            }
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            throw new StateLockException("the folder of the state file does not exist: "
                    + file.toAbsolutePath().getParent() + ". Create it, or point --state or the manifest's 'state' elsewhere. Nothing was changed.", null);
        } catch (IOException e) {
            throw cannotUse(e);
        }
    }

    /**
     * The lock file could not be opened or written: a fact about the file system (read-only, permissions, a folder
     * in the way), not a lock held by another run, so it is said in the operating system's words and never sends
     * the operator to force-unlock.
     */
    StateLockException cannotUse(IOException e) {
        return new StateLockException("cannot write the lock file " + file + ": " + LibraryText.clause(e)
                + ". certform writes its lock, journal and state beside the state file, so that folder must be"
                + " writable: make it writable, or point --state or the manifest's 'state' at a writable folder."
                + " No other run holds the lock; nothing was changed.", null);
    }

    /** The holder details in the file (read through {@code channel}), or null when empty or unreadable. */
    private StateLock content(FileChannel channel) throws IOException {
        long length = channel.size();
        if (length == 0 || length > 64 * 1024) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) length);
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) >= 0) {
            // read it all
        }
        try {
            return LockCodec.readLock(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
        } catch (JacksonException e) {
            return null;
        }
    }
}
