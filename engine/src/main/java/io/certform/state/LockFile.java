package io.certform.state;

import io.certform.base.Sleeper;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A lock beside the state file ({@code <state>.lock}), taken by every run that writes state. The file is created
 * exclusively, so two runs can never both hold it; it records who holds it, and a lock left by a process that
 * is no longer running on this host is recognised and named.
 */
public final class LockFile {

    private static final Duration FIRST_WAIT = Duration.ofMillis(100);
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(2);

    private final Path file;
    private final Clock clock;
    private final Sleeper sleeper;
    private final JsonMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    public LockFile(Path stateFile, Clock clock, Sleeper sleeper) {
        this.file = stateFile.resolveSibling(stateFile.getFileName() + ".lock");
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public Path file() {
        return file;
    }

    /** A held lock; closing it releases it. */
    public final class Held implements AutoCloseable {
        private final StateLock lock;

        private Held(StateLock lock) {
            this.lock = lock;
        }

        public StateLock lock() {
            return lock;
        }

        @Override
        public void close() {
            try {
                StateLock current = read();
                if (current != null && current.id().equals(lock.id())) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException ignored) {
                // a lock that cannot be removed is reported by the next run, with force-unlock as the way out
            }
        }
    }

    /**
     * Takes the lock for {@code operation}, waiting up to {@code timeout} (zero: fail at once) with backoff.
     */
    public Held acquire(String operation, Duration timeout) throws StateLockException, InterruptedException {
        Instant deadline = clock.instant().plus(timeout);
        Duration wait = FIRST_WAIT;
        while (true) {
            StateLock mine = new StateLock(UUID.randomUUID().toString(), operation, user() + "@" + host(),
                    ProcessHandle.current().pid(), clock.instant().toString(), host());
            try {
                Files.write(file, json.writeValueAsBytes(mine), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return new Held(mine);
            } catch (FileAlreadyExistsException e) {
                StateLock holder = readQuietly();
                if (!clock.instant().isBefore(deadline)) {
                    throw new StateLockException(describe(holder), holder);
                }
            } catch (NoSuchFileException e) {
                throw new StateLockException("the folder of the state file does not exist: " + file.getParent()
                        + ". Create it, or point --state or the manifest's 'state' elsewhere. Nothing was changed.",
                        null);
            } catch (IOException e) {
                throw new StateLockException("Error acquiring the state lock: cannot create " + file + ": "
                        + e.getClass().getSimpleName() + ". Nothing was changed.", null);
            }
            Duration left = Duration.between(clock.instant(), deadline);
            sleeper.sleep(wait.compareTo(left) < 0 ? wait : left);
            wait = wait.multipliedBy(2).compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait.multipliedBy(2);
        }
    }

    /** Removes the lock if its id is {@code id}; returns the lock that was removed. */
    public StateLock forceUnlock(String id) throws StateLockException {
        StateLock holder = readQuietly();
        if (holder == null) {
            throw new StateLockException("the state is not locked (no " + file + ")", null);
        }
        if (!holder.id().equals(id)) {
            throw new StateLockException("the lock's id is " + holder.id() + ", not " + id
                    + ". Check the id in the error that named the lock.", holder);
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new StateLockException("cannot remove " + file + ": " + e.getClass().getSimpleName(), holder);
        }
        return holder;
    }

    /** The current holder, or null when unlocked. */
    public StateLock read() throws IOException {
        try {
            return json.readValue(Files.readString(file, StandardCharsets.UTF_8), StateLock.class);
        } catch (NoSuchFileException e) {
            return null;
        } catch (JacksonException e) {
            return new StateLock("(unreadable)", "?", "?", -1, "?", "?");
        }
    }

    private StateLock readQuietly() {
        try {
            return read();
        } catch (IOException e) {
            return null;
        }
    }

    private String describe(StateLock holder) {
        if (holder == null) {
            return "Error acquiring the state lock: " + file + " exists but cannot be read.";
        }
        StringBuilder text = new StringBuilder("Error acquiring the state lock: the state is locked by another run.\n")
                .append("  Lock Info:\n")
                .append("    ID:        ").append(holder.id()).append('\n')
                .append("    Operation: ").append(holder.operation()).append('\n')
                .append("    Who:       ").append(holder.who()).append('\n')
                .append("    PID:       ").append(holder.pid()).append('\n')
                .append("    Created:   ").append(holder.created()).append('\n');
        if (host().equals(holder.host()) && holder.pid() > 0 && ProcessHandle.of(holder.pid()).isEmpty()) {
            text.append("  The process that took it (pid ").append(holder.pid()).append(" on ").append(holder.host())
                    .append(") is no longer running: the lock is stale. If no other run is using this state, remove it"
                            + " with: certform force-unlock ").append(holder.id());
        } else {
            text.append("  Wait for that run to finish (or pass --lock-timeout to wait), or, if it is gone, remove the"
                    + " lock with: certform force-unlock ").append(holder.id());
        }
        return text.toString();
    }

    private static String user() {
        String user = System.getProperty("user.name");
        return user == null ? "unknown" : user;
    }

    private static final String HOST = findHost();

    private static String host() {
        return HOST;
    }

    private static String findHost() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
