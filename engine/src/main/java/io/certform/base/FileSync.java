package io.certform.base;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The three disk steps a crash must find done, in the order certform does them: an fsync of a file, an fsync of a
 * folder (its entries: a create, rename or delete in it), and an atomic rename. Every durable write of the local
 * state store (state file, history, journal, lock file) takes these steps through here, so that a test can
 * {@link #install} {@link Steps} that see each step, in order and with its path, and can make an fsync slow on
 * purpose; killing a process keeps the page cache, so no crash test can tell a missing fsync. Otherwise a step
 * costs one volatile read and does the real thing ({@link #REAL}).
 */
public final class FileSync {

    /** How the steps are taken. Each must do the real step (or delegate to {@link #REAL}) to keep data durable. */
    public interface Steps {
        /** Forces {@code channel}, open on {@code file}, to the disk; {@code metadata} as {@link FileChannel#force}. */
        void force(FileChannel channel, Path file, boolean metadata) throws IOException;

        /** Makes {@code folder}'s entries durable. */
        void syncFolder(Path folder) throws IOException;

        /** Renames {@code from} over {@code to}, atomically where the file system can. */
        void rename(Path from, Path to) throws IOException;
    }

    /** The steps as the operating system takes them. */
    public static final Steps REAL = new Steps() {
        @Override
        public void force(FileChannel channel, Path file, boolean metadata) throws IOException {
            channel.force(metadata);
        }

        @Override
        public void syncFolder(Path folder) throws IOException {
            try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
                channel.force(true);
            }
        }

        @Override
        public void rename(Path from, Path to) throws IOException {
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    };

    private static volatile Steps installed;

    private FileSync() {
    }

    /**
     * Takes every step through {@code steps} until the returned handle is closed (then the real steps again). For
     * tests; one at a time.
     */
    public static AutoCloseable install(Steps steps) {
        if (steps == null) {
            throw new IllegalArgumentException("steps");
        }
        installed = steps;
        return () -> installed = null;
    }

    /** Forces {@code channel}, open on {@code file}, to the disk. */
    public static void force(FileChannel channel, Path file, boolean metadata) throws IOException {
        Steps steps = installed;
        if (steps == null) {
            channel.force(metadata);
        } else {
            steps.force(channel, file, metadata);
        }
    }

    /** Makes {@code folder}'s entries durable. */
    public static void syncFolder(Path folder) throws IOException {
        Steps steps = installed;
        (steps == null ? REAL : steps).syncFolder(folder);
    }

    /** Renames {@code from} over {@code to}, atomically where the file system can. */
    public static void rename(Path from, Path to) throws IOException {
        Steps steps = installed;
        (steps == null ? REAL : steps).rename(from, to);
    }
}
