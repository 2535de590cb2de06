package io.certform.state.local;

import io.certform.state.State;
import io.certform.state.StateException;
import io.certform.state.StateStore;
import io.certform.state.StateVersion;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Previous states of a local state file, in {@code <file>.history/<serial>.json} (folder 0700, files 0600). Before
 * a state is replaced, it is hard-linked there (copied where links are not supported): no byte of it is rewritten,
 * and its modification time stays the time it was written. The newest {@link StateStore#HISTORY} are kept.
 */
final class LocalHistory {

    /** Reads a state file's bytes. */
    @FunctionalInterface
    interface Parser {
        State parse(Path from, byte[] bytes) throws StateException;
    }

    private static final Comparator<Entry> NEWEST_FIRST = Comparator.comparing(Entry::writtenAt)
            .thenComparingLong(Entry::serial).reversed();

    private final Path file;
    private final Path folder;
    private final Parser parser;

    LocalHistory(Path file, Parser parser) {
        this.file = file;
        this.folder = file.resolveSibling(file.getFileName() + ".history");
        this.parser = parser;
    }

    Path folder() {
        return folder;
    }

    /** Keeps the state file as it is now, as {@code serial}; durable on return. */
    void keep(long serial) throws IOException {
        DurableFiles.createFolder(folder);
        Path target = folder.resolve(serial + ".json");
        Path temp = folder.resolve("." + serial + ".json." + System.nanoTime() + ".tmp");
        try {
            try {
                Files.createLink(temp, file);
            } catch (UnsupportedOperationException | FileSystemException e) {
                Files.deleteIfExists(temp);
                Files.copy(file, temp, StandardCopyOption.COPY_ATTRIBUTES);
            }
            DurableFiles.move(temp, target);
            temp = null;
        } finally {
            if (temp != null) {
                DurableFiles.deleteQuietly(temp);
            }
        }
        DurableFiles.syncFolder(folder);
    }

    /** Removes all but the newest {@link StateStore#HISTORY} kept states. */
    void prune() throws IOException {
        List<Entry> entries = entries();
        if (entries.size() <= StateStore.HISTORY) {
            return;
        }
        for (Entry old : entries.subList(StateStore.HISTORY, entries.size())) {
            Files.deleteIfExists(old.path());
        }
        DurableFiles.syncFolder(folder);
    }

    /** {@code current} (null when none) and the kept states, newest first. */
    List<StateVersion> list(StateVersion current) throws StateException {
        List<StateVersion> versions = new ArrayList<>();
        if (current != null) {
            versions.add(current);
        }
        for (Entry entry : entriesOrFail()) {
            State state = parse(entry.path());
            if (state == null || current != null && state.serial() == current.serial()
                    && state.lineage().equals(current.lineage())) {
                continue;
            }
            versions.add(StateVersion.of(state, entry.writtenAt()));
        }
        return versions;
    }

    /** The kept state with this serial. */
    Optional<State> version(long serial) throws StateException {
        Path kept = folder.resolve(serial + ".json");
        return Optional.ofNullable(parse(kept));
    }

    private State parse(Path kept) throws StateException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(kept);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new StateException("cannot read " + kept + ": " + LocalStateStore.describe(e), e);
        }
        return parser.parse(kept, bytes);
    }

    private record Entry(Path path, long serial, Instant writtenAt) {
    }

    private List<Entry> entriesOrFail() throws StateException {
        try {
            return entries();
        } catch (IOException e) {
            throw new StateException("cannot list " + folder + ": " + LocalStateStore.describe(e), e);
        }
    }

    private List<Entry> entries() throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path path : (Iterable<Path>) files::iterator) {
                String name = path.getFileName().toString();
                if (!name.matches("[0-9]{1,18}\\.json")) {
                    continue;
                }
                long serial = Long.parseLong(name.substring(0, name.length() - ".json".length()));
                entries.add(new Entry(path, serial, Files.getLastModifiedTime(path).toInstant()));
            }
        }
        entries.sort(NEWEST_FIRST);
        return entries;
    }
}
