package io.certform.state.local;

import io.certform.base.FileSync;
import io.certform.base.IoFault;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The file steps a crash must not break: owner-only temp files, fsync, atomic rename, folder fsync. The fsyncs and
 * the rename go through {@link FileSync}, where a test can see them in order.
 */
final class DurableFiles {

    static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private DurableFiles() {
    }

    /** A new, empty, owner-only (0600) file in {@code folder}, named {@code .<base>.<random>.tmp}. */
    static Path createTemp(Path folder, String base) throws IOException {
        String prefix = "." + base + ".";
        if (POSIX) {
            FileAttribute<?> ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
            return Files.createTempFile(folder, prefix, ".tmp", ownerOnly);
        }
        return Files.createTempFile(folder, prefix, ".tmp");
    }

    /** Creates an owner-only (0700) folder if missing, and makes its entry durable. */
    static void createFolder(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        if (POSIX) {
            Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectory(folder);
        }
        syncFolder(folder.toAbsolutePath().getParent());
    }

    /** Writes {@code bytes} into the (empty) file and fsyncs it. */
    static void writeDurably(Path file, byte[] bytes) throws IOException {
        IoFault.check("write");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            FileSync.force(channel, file, true);
        }
    }

    /** What a streamed write puts in a file. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Streams {@code content} into the (empty) file through a buffer and fsyncs it; returns the bytes written. The
     * content may close the stream it is given: the file stays open until it is synced.
     */
    static long writeDurably(Path file, Content content) throws IOException {
        IoFault.check("write");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            OutputStream buffered = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            OutputStream out = new FilterOutputStream(buffered) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    buffered.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush(); // the channel is closed after its fsync, below
                }
            };
            content.writeTo(out);
            out.flush();
            FileSync.force(channel, file, true);
            return channel.size();
        }
    }

    /** Renames {@code from} over {@code to} atomically where the file system can. */
    static void move(Path from, Path to) throws IOException {
        FileSync.rename(from, to);
    }

    /** Makes a folder's entries (a create, rename or delete in it) durable. */
    static void syncFolder(Path folder) {
        try {
            FileSync.syncFolder(folder);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Some platforms cannot open a folder for sync; the rename is still atomic there.
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort: a stray temporary file is harmless and named *.tmp
        }
    }
}
