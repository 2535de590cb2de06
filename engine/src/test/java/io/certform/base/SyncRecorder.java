package io.certform.base;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The disk steps of durable writes ({@link FileSync}) as a test sees them: each fsync, folder sync and rename is
 * done for real, then written down in order, with its path relative to a folder ({@code fsync s.json.journal},
 * {@code rename .s.json.tmp -> s.json}, {@code sync-folder .}). A temporary file's random part is left out
 * ({@code .s.json.tmp}). A test may write down its own events between them ({@link #note}), and may make every
 * fsync take longer on purpose ({@link #slow}): a disk that is slow for certain, rather than one hoped to be.
 */
public final class SyncRecorder implements FileSync.Steps, AutoCloseable {

    private final Path root;
    private final Path realRoot;
    private final AutoCloseable installed;
    private final List<String> steps = new ArrayList<>();
    private final Set<String> counted = new HashSet<>();
    private volatile long slowMillis;

    private SyncRecorder(Path root) {
        this.root = root.toAbsolutePath().normalize();
        Path real;
        try {
            real = root.toRealPath();
        } catch (IOException e) {
            real = this.root;
        }
        this.realRoot = real;
        this.installed = FileSync.install(this);
    }

    /** Records every step from now until {@link #close}, paths relative to {@code root}. */
    public static SyncRecorder install(Path root) {
        return new SyncRecorder(root);
    }

    /** Makes each fsync of a file take {@code delay} more, as on a slow disk. */
    public SyncRecorder slow(Duration delay) {
        slowMillis = delay.toMillis();
        return this;
    }

    /** Writes, with each fsync of the file named {@code name}, how many lines it held when it was synced. */
    public synchronized SyncRecorder countLines(String name) {
        counted.add(name);
        return this;
    }

    /** Writes down an event of the test's own between the steps. */
    public synchronized void note(String event) {
        steps.add(event);
    }

    /** Everything written down so far, in order. */
    public synchronized List<String> steps() {
        return List.copyOf(steps);
    }

    /** The steps written down so far that {@code which} keeps, in order. */
    public List<String> steps(Predicate<String> which) {
        return steps().stream().filter(which).toList();
    }

    /** How many steps so far are exactly {@code step}. */
    public long count(String step) {
        return steps().stream().filter(step::equals).count();
    }

    /** Forgets the steps written down so far. */
    public synchronized void clear() {
        steps.clear();
    }

    @Override
    public void force(FileChannel channel, Path file, boolean metadata) throws IOException {
        long delay = slowMillis;
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while syncing " + file, e);
            }
        }
        FileSync.REAL.force(channel, file, metadata);
        String name = name(file);
        boolean count;
        synchronized (this) {
            count = counted.contains(name);
        }
        String lines = count ? " (" + lines(file) + " lines)" : "";
        note("fsync " + name + lines);
    }

    @Override
    public void syncFolder(Path folder) throws IOException {
        FileSync.REAL.syncFolder(folder);
        note("sync-folder " + name(folder));
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        FileSync.REAL.rename(from, to);
        note("rename " + name(from) + " -> " + name(to));
    }

    @Override
    public void close() throws Exception {
        installed.close();
    }

    private String name(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        String name = absolute.toString();
        for (Path base : List.of(root, realRoot)) {
            if (absolute.equals(base)) {
                name = ".";
            } else if (absolute.startsWith(base)) {
                name = base.relativize(absolute).toString();
            }
        }
        return name.replaceAll("\\.[0-9]+\\.tmp$", ".tmp");
    }

    private static long lines(Path file) {
        try (var stream = Files.lines(file)) {
            return stream.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
