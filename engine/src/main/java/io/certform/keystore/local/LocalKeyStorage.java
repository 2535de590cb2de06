package io.certform.keystore.local;

import io.certform.base.FileSync;
import io.certform.base.IoFault;
import io.certform.keystore.KeyStorage;
import io.certform.keystore.KeystoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The key store of a local state: the file {@code NAME.keystore.p12} beside the state {@code NAME.json}, owner-only
 * (0600), replaced atomically like the state file (a temp file in the same folder, fsync, rename, folder fsync). Its
 * version is the SHA-256 of its bytes: a write is refused when the file changed since it was read. Runs on one state
 * are serialised by the state's lock; the version catches a writer that does not take it.
 */
public final class LocalKeyStorage implements KeyStorage {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path file;

    public LocalKeyStorage(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    /** The key store beside the state file {@code statePath}: {@code NAME.keystore.p12} for {@code NAME.json}. */
    public static LocalKeyStorage besideState(Path statePath) {
        String name = statePath.getFileName().toString();
        String base = name.endsWith(".json") ? name.substring(0, name.length() - ".json".length()) : name;
        return new LocalKeyStorage(statePath.resolveSibling(base + ".keystore.p12"));
    }

    public Path file() {
        return file;
    }

    @Override
    public Stored read() throws KeystoreException {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return new Stored(bytes, sha256(bytes));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new KeystoreException("cannot read the key store " + file + ": " + e.getClass().getSimpleName()
                    + "; check that the user running certform can read it");
        }
    }

    @Override
    public String write(byte[] bytes, String expectedVersion) throws KeystoreException {
        Stored now = read();
        String current = now == null ? null : now.version();
        if (current == null ? expectedVersion != null : !current.equals(expectedVersion)) {
            throw new KeystoreException.Conflict("the key store " + file + " was " + (current == null ? "removed"
                    : "changed") + " since this run read it: nothing was written; run certform again");
        }
        Path folder = file.getParent();
        Path temp = null;
        try {
            Files.createDirectories(folder);
            temp = POSIX ? Files.createTempFile(folder, "." + file.getFileName() + ".", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(folder, "." + file.getFileName() + ".", ".tmp");
            IoFault.check("write");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                FileSync.force(channel, temp, true);
            }
            FileSync.rename(temp, file);
            temp = null;
            try {
                FileSync.syncFolder(folder);
            } catch (IOException | UnsupportedOperationException ignored) {
                // some platforms cannot sync a folder; the rename is atomic there all the same
            }
            return sha256(bytes);
        } catch (IOException e) {
            throw new KeystoreException("cannot write the key store " + file + ": " + e.getClass().getSimpleName()
                    + "; the previous key store is unchanged");
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a stray *.tmp is harmless
                }
            }
        }
    }

    @Override
    public String describe() {
        return file.toString();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
