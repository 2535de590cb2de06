package io.certform.state.local;

import io.certform.state.Adoption;
import io.certform.state.DurableRecorder;
import io.certform.state.Gateway;
import io.certform.state.JournalRecord;
import io.certform.state.RunRecorder;
import io.certform.state.State;
import io.certform.state.StateCodec;
import io.certform.state.StateException;
import io.certform.state.StateLock;
import io.certform.state.StateLockException;
import io.certform.state.StateStore;
import io.certform.state.StateVersion;
import io.certform.state.Succession;
import io.certform.base.CrashPoint;
import io.certform.base.Sleeper;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;

/**
 * State in a local JSON file, readable by its owner only (0600). A write goes to a temporary file in the same
 * folder, is fsynced, renamed over the old file atomically, and the folder is fsynced: a crash leaves the old state
 * or the new one, never half of one. Before the rename, the state being replaced is linked into
 * {@code <file>.history/} ({@link LocalHistory}). Beside the file: the journal ({@code <file>.journal},
 * {@link Journal}) and the lock ({@code <file>.lock}, {@link LockFile}).
 *
 * <p>One state file has one lock and one journal however its path is spelled: when the path, or a folder on it, is
 * a symbolic link, the lock, the journal, the history and every write are placed beside the file it resolves to
 * ({@link StateFileName#identity}), so a run through a link and a run through the plain path exclude each other,
 * and a write replaces the target's content rather than the link.
 */
public final class LocalStateStore implements StateStore {

    /** The path as it was given: what messages name. */
    private final Path file;
    /** The file it names ({@link StateFileName#identity}): where the state is written, what its lock is keyed by. */
    private final Path real;
    private final String certformVersion;
    private final long compactAt;
    private final LockFile lock;
    private final LocalHistory history;

    public LocalStateStore(Path file, String certformVersion) {
        this(file, certformVersion, Clock.systemUTC(), Sleeper.SYSTEM, COMPACT_AT);
    }

    /**
     * @param clock     and {@code sleeper}: how lock attempts wait
     * @param compactAt journal bytes past which a run compacts mid-run
     */
    public LocalStateStore(Path file, String certformVersion, Clock clock, Sleeper sleeper, long compactAt) {
        this.file = file;
        this.real = StateFileName.identity(file);
        this.certformVersion = certformVersion;
        this.compactAt = compactAt;
        this.lock = new LockFile(real, clock, sleeper);
        this.history = new LocalHistory(real, this::parse);
    }

    public Path file() {
        return file;
    }

    /** The journal beside the state file. */
    public Path journalFile() {
        return real.resolveSibling(real.getFileName() + ".journal");
    }

    /** The lock file beside the state file. */
    public Path lockFile() {
        return lock.file();
    }

    /** The folder of previous states. */
    public Path historyFolder() {
        return history.folder();
    }

    @Override
    public String describe() {
        return file.toString();
    }

    @Override
    public State read() throws StateException {
        State stored = stored();
        return Gateway.check(stored == null ? State.empty(certformVersion) : stored, gateway, describe(),
                () -> Files.exists(journalFile()));
    }

    private volatile java.util.Map<String, Gateway> gateway;

    @Override
    public void expectGateways(java.util.Map<String, Gateway> expected) {
        gateway = expected == null ? null : java.util.Collections.unmodifiableMap(new java.util.HashMap<>(expected));
    }

    /**
     * The stored state, or null when there is no file. The file is parsed as it is read, never held whole: at
     * 100,000 bindings it is about 80 MB, an array the heap would have to find room for beside the state it becomes.
     */
    private State stored() throws StateException {
        try (java.io.InputStream in = Files.newInputStream(real)) {
            return parse(file, () -> StateCodec.read(in));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw cannotRead(e);
        }
    }

    private StateException cannotRead(IOException e) {
        return new StateException("cannot read the state file " + file + ": " + e.getClass().getSimpleName()
                + ". Check that it is readable by the user running certform.", e);
    }

    private State parse(Path from, byte[] bytes) throws StateException {
        return parse(from, () -> StateCodec.read(bytes));
    }

    /** A state read by the codec, which throws what it cannot read. */
    private interface Reading {
        State read() throws JacksonException;
    }

    private State parse(Path from, Reading reading) throws StateException {
        State state;
        try {
            state = reading.read();
        } catch (tools.jackson.core.exc.JacksonIOException e) {
            throw cannotRead(e.getCause());
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            String where = at == null ? from.toString() : from + ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw new StateException(where + ": the state file is not valid certform state ("
                    + e.getOriginalMessage() + "). Restore a previous version from " + history.folder().getFileName()
                    + "/ ('certform state history' lists them) or from version control; do not edit it by hand.");
        }
        if (state == null || state.lineage() == null || state.lineage().isBlank()) {
            throw new StateException(from + ": the state file has no lineage; it was not written by certform.");
        }
        if (state.formatVersion() > State.FORMAT_VERSION) {
            throw new StateException(from + ": the state was written by a newer certform (format_version "
                    + state.formatVersion() + "); this one reads format_version " + State.FORMAT_VERSION
                    + ". Upgrade certform.");
        }
        return state;
    }

    @Override
    public void write(State next) throws StateException {
        writeCounted(next);
    }

    /** Writes {@code next} after its predecessor; returns the bytes written. */
    private long writeCounted(State next) throws StateException {
        return write(next, true);
    }

    @Override
    public synchronized void adopt(List<State> versions) throws StateException {
        if (versions.isEmpty()) {
            return;
        }
        State stored = storedHeader();
        Adoption.check(stored, versions, file.toString());
        for (State v : versions) {
            if (stored == null || v.serial() > stored.serial()) {
                write(v, false);
            }
        }
    }

    /**
     * Writes {@code next}, after its predecessor when {@code follow}; returns the bytes written. The JSON is
     * streamed into the temporary file, and the predecessor is checked by its header alone: a write of N bindings
     * holds no copy of them.
     */
    private synchronized long write(State next, boolean follow) throws StateException {
        State stored = storedHeader();
        if (follow) {
            Succession.check(stored, next, file.toString());
        }
        Path folder = real.toAbsolutePath().getParent();
        Path temp = null;
        try {
            temp = DurableFiles.createTemp(folder, real.getFileName().toString());
            long bytes = DurableFiles.writeDurably(temp, out -> {
                StateCodec.writeIndented(out, next);
                out.write('\n');
            });
            if (stored != null) {
                history.keep(stored.serial());
            }
            CrashPoint.reach("mid-state-write");
            DurableFiles.move(temp, real);
            temp = null;
            DurableFiles.syncFolder(folder);
            CrashPoint.reach("after-state-write");
            history.prune();
            return bytes;
        } catch (IOException e) {
            throw new StateException("cannot write the state file " + file + ": " + describe(e)
                    + ". Free space or fix permissions, then run certform again: what was applied is recorded"
                    + " in the previous state and the journal as far as it got.", e);
        } finally {
            if (temp != null) {
                DurableFiles.deleteQuietly(temp);
            }
        }
    }

    /**
     * The stored state's header (format, lineage, serial) with no resources, or null when there is no file: what
     * {@link Succession} checks and the history names, read without holding the bindings.
     */
    private State storedHeader() throws StateException {
        int format = 0;
        String version = null;
        String lineage = null;
        long serial = 0;
        try (java.io.InputStream in = Files.newInputStream(real);
             tools.jackson.core.JsonParser parser = StateCodec.parser(in)) {
            if (parser.nextToken() != tools.jackson.core.JsonToken.START_OBJECT) {
                return stored(); // not a state: the full read says what is wrong, and where
            }
            while (parser.nextToken() == tools.jackson.core.JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "format_version" -> format = parser.getValueAsInt();
                    case "certform_version" -> version = parser.getValueAsString();
                    case "lineage" -> lineage = parser.getValueAsString();
                    case "serial" -> serial = parser.getValueAsLong();
                    default -> parser.skipChildren();
                }
            }
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | JacksonException e) {
            return stored(); // the full read reports it with its line and column
        }
        if (lineage == null || lineage.isBlank() || format > State.FORMAT_VERSION) {
            return stored(); // refused there, with the reason
        }
        return new State(format, version, lineage, serial, List.of());
    }

    @Override
    public List<JournalRecord> journal() throws StateException {
        return Journal.read(journalFile());
    }

    @Override
    public synchronized RunRecorder record(State base) throws StateException {
        List<JournalRecord> left = journal();
        if (left.stream().anyMatch(r -> !(r instanceof JournalRecord.Intent))) {
            throw new StateException("the journal " + journalFile() + " holds " + left.size() + " record(s) of an"
                    + " interrupted run; they must be settled (by 'certform apply' or 'certform refresh') before"
                    + " another run is recorded. Nothing was sent.");
        }
        Succession.checkBase(stored(), base, file.toString());
        Journal journal;
        try {
            journal = Journal.open(journalFile());
        } catch (IOException e) {
            throw new StateException("cannot open the journal " + journalFile() + ": " + describe(e)
                    + ". Nothing was sent.", e);
        }
        return new DurableRecorder(base, JournalRecord.openIntents(left), journal, this::writeCounted, certformVersion,
                compactAt);
    }

    @Override
    public synchronized void settle(State next, List<JournalRecord.Intent> stillOpen) throws StateException {
        writeCounted(next);
        CrashPoint.reach("mid-compaction");
        try {
            if (stillOpen.isEmpty()) {
                Journal.remove(journalFile());
            } else {
                Journal.rewrite(journalFile(), stillOpen);
            }
        } catch (IOException e) {
            throw new StateException("cannot replace the journal " + journalFile() + ": " + describe(e)
                    + ". The state is written; run certform again to settle the journal.", e);
        }
    }

    @Override
    public List<StateVersion> history() throws StateException {
        return history.list(current());
    }

    /** The state file's modification time, as {@link #history} gives it, without parsing the kept states. */
    @Override
    public Instant writtenAt() throws StateException {
        try {
            return Files.getLastModifiedTime(real).toInstant();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw cannotRead(e);
        }
    }

    @Override
    public Optional<State> version(long serial) throws StateException {
        State stored = stored();
        if (stored != null && stored.serial() == serial) {
            return Optional.of(stored);
        }
        return history.version(serial);
    }

    /** The stored state with its write time, or null. */
    private StateVersion current() throws StateException {
        State stored = stored();
        if (stored == null) {
            return null;
        }
        Instant at;
        try {
            at = Files.getLastModifiedTime(real).toInstant();
        } catch (IOException e) {
            at = Instant.EPOCH;
        }
        return StateVersion.of(stored, at);
    }

    @Override
    public Held lock(String operation, Duration timeout) throws StateLockException, InterruptedException {
        StateFileName.refuseHardLinks(file, real, history.folder());
        return lock.acquire(operation, timeout);
    }

    @Override
    public StateLock forceUnlock(String id) throws StateLockException {
        return lock.forceUnlock(id);
    }

    @Override
    public void checkWritable() throws StateException {
        Path folder = real.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder)) {
            throw new StateException("the folder of the state file does not exist: " + folder
                    + ". Create it, or point --state or the manifest's 'state' elsewhere.");
        }
        try {
            Path probe = DurableFiles.createTemp(folder, real.getFileName().toString());
            Files.delete(probe);
        } catch (IOException e) {
            throw new StateException("cannot write in the folder of the state file " + folder + ": " + describe(e)
                    + ". Nothing was sent. Fix permissions or free space, then run certform again.", e);
        }
        if (Files.exists(real) && !Files.isWritable(real)) {
            throw new StateException("the state file " + file + " is not writable. Nothing was sent.");
        }
    }

    static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }
}
