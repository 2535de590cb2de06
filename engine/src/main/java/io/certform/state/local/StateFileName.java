package io.certform.state.local;

import io.certform.state.StateLockException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One state file, one name: the file a path names through symbolic links ({@link #identity}), by which its lock,
 * journal and history are kept, and the refusal of a state file with other hard links, which would take two locks.
 */
final class StateFileName {

    private StateFileName() {
    }

    /**
     * The file {@code path} names, whatever the spelling: {@code path} itself when no symbolic link is on it, else
     * the path with every link resolved (for a file not created yet, its folder's resolved path and its name; a
     * dangling link, the path it points to).
     */
    static Path identity(Path path) {
        Path resolved = resolve(path.toAbsolutePath(), 0);
        return resolved.equals(path.toAbsolutePath().normalize()) ? path : resolved;
    }

    private static Path resolve(Path absolute, int depth) {
        try {
            return absolute.toRealPath();
        } catch (IOException e) {
            // not there (yet), or not readable: resolve what can be
        }
        try {
            if (depth < 40 && Files.isSymbolicLink(absolute)) {
                return resolve(absolute.resolveSibling(Files.readSymbolicLink(absolute)), depth + 1);
            }
        } catch (IOException e) {
            // unreadable link: keep the spelling
        }
        Path parent = absolute.getParent();
        if (parent == null || absolute.getFileName() == null) {
            return absolute.normalize();
        }
        try {
            return parent.toRealPath().resolve(absolute.getFileName());
        } catch (IOException e) {
            return absolute.normalize();
        }
    }

    /**
     * A state file with other hard links is refused before the lock is taken: the lock (and the journal) are keyed by
     * the file's name, so two names of one file would take two locks; and every write replaces the file (a new file
     * renamed over the old), so the names would part ways at the first write. A symbolic link is followed instead.
     */
    static void refuseHardLinks(Path file, Path real, Path historyFolder) throws StateLockException {
        Object links;
        try {
            links = Files.getAttribute(real, "unix:nlink");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return; // not there yet, or a file system without link counts
        }
        if (links instanceof Integer count && count > 1 && count - keptInHistory(real, historyFolder) > 1) {
            throw new StateLockException("the state file " + file + " has " + count + " hard links (other names of"
                    + " the same file). certform locks a state by its name and replaces the file on every write, so two"
                    + " names would take two locks and then part ways. Keep one name (find the others with 'find /"
                    + " -samefile " + file + "'), and use a symbolic link where another name is needed. Nothing was"
                    + " changed.", null);
        }
    }

    /** How many of the state file's links are certform's own: the history keeps the current state by a link. */
    private static int keptInHistory(Path real, Path historyFolder) {
        int own = 0;
        try (var kept = Files.newDirectoryStream(historyFolder)) {
            for (Path p : kept) {
                if (Files.isSameFile(p, real)) {
                    own++;
                }
            }
        } catch (IOException e) {
            return 0; // no history folder: no link of certform's own
        }
        return own;
    }
}
