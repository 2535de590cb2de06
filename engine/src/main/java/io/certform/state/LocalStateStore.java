package io.certform.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * State in a local JSON file. A write goes to a temporary file in the same folder, is fsynced, renamed over the
 * old file atomically, and the folder is fsynced: a crash leaves the old state or the new one, never half of one.
 * The file is readable by its owner only (0600). Before each replace, the previous state is kept as
 * {@code <file>.backup} (itself replaced atomically).
 */
public final class LocalStateStore implements StateStore {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path file;
    private final String certformVersion;
    private final JsonMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .changeDefaultPropertyInclusion(v -> v.withValueInclusion(JsonInclude.Include.ALWAYS))
            .build();

    public LocalStateStore(Path file, String certformVersion) {
        this.file = file;
        this.certformVersion = certformVersion;
    }

    public Path file() {
        return file;
    }

    @Override
    public String describe() {
        return file.toString();
    }

    @Override
    public Path journalFile() {
        return Journal.fileFor(file);
    }

    @Override
    public State read() throws StateException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return State.empty(certformVersion);
        } catch (IOException e) {
            throw new StateException("cannot read the state file " + file + ": " + e.getClass().getSimpleName()
                    + ". Check that it is readable by the user running certform.", e);
        }
        State state;
        try {
            state = json.readValue(bytes, State.class);
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            String where = at == null ? file.toString() : file + ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw new StateException(where + ": the state file is not valid certform state ("
                    + e.getOriginalMessage() + "). Restore it from " + file.getFileName()
                    + ".backup or from version control; do not edit it by hand.");
        }
        if (state == null || state.lineage() == null || state.lineage().isBlank()) {
            throw new StateException(file + ": the state file has no lineage; it was not written by certform.");
        }
        if (state.formatVersion() > State.FORMAT_VERSION) {
            throw new StateException(file + ": the state was written by a newer certform (format_version "
                    + state.formatVersion() + "); this one reads format_version " + State.FORMAT_VERSION
                    + ". Upgrade certform.");
        }
        return state;
    }

    @Override
    public void write(State state) throws StateException {
        Path folder = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            byte[] bytes = (json.writeValueAsString(state) + "\n").getBytes(StandardCharsets.UTF_8);
            temp = createTemp(folder);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            keepBackup(folder);
            move(temp, file);
            temp = null;
            syncFolder(folder);
        } catch (IOException e) {
            throw new StateException("cannot write the state file " + file + ": " + describe(e)
                    + ". Free space or fix permissions, then run certform again: what was applied is recorded"
                    + " in the previous state as far as it got.", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: a stray temporary file is harmless and named *.tmp
                }
            }
        }
    }

    /** Where the previous state is kept. */
    public Path backupFile() {
        return file.resolveSibling(file.getFileName() + ".backup");
    }

    private void keepBackup(Path folder) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        Path copy = createTemp(folder);
        try {
            Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
            move(copy, backupFile());
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public void checkWritable() throws StateException {
        Path folder = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder)) {
            throw new StateException("the folder of the state file does not exist: " + folder
                    + ". Create it, or point --state or the manifest's 'state' elsewhere.");
        }
        try {
            Path probe = createTemp(folder);
            Files.delete(probe);
        } catch (IOException e) {
            throw new StateException("cannot write in the folder of the state file " + folder + ": " + describe(e)
                    + ". Nothing was sent. Fix permissions or free space, then run certform again.", e);
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw new StateException("the state file " + file + " is not writable. Nothing was sent.");
        }
    }

    private Path createTemp(Path folder) throws IOException {
        String prefix = "." + file.getFileName() + ".";
        if (POSIX) {
            FileAttribute<?> ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
            return Files.createTempFile(folder, prefix, ".tmp", ownerOnly);
        }
        return Files.createTempFile(folder, prefix, ".tmp");
    }

    private static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Some platforms cannot open a folder for sync; the rename is still atomic there.
        }
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }
}
