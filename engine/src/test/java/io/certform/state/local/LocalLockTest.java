package io.certform.state.local;

import io.certform.state.State;
import io.certform.state.StateLockException;
import io.certform.state.StateStore;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local lock is the operating system's: held by a live process, gone with it. */
class LocalLockTest {

    @TempDir
    Path dir;

    @Test
    void aLockHeldByAnotherProcess_isRefusedNamingIt_andIsFreeAtOnceAfterKill9() throws Exception {
        Path file = dir.resolve("s.json");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), file.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("locked "), "the child took the lock: " + line);
            String id = line.substring("locked ".length());
            LocalStateStore store = new LocalStateStore(file, "t");

            StateLockException busy = assertThrows(StateLockException.class, () -> store.lock("apply", Duration.ZERO));
            assertEquals(id, busy.holder().id());
            assertTrue(busy.getMessage().contains("PID:       " + holder.pid()), busy.getMessage());
            StateLockException forced = assertThrows(StateLockException.class, () -> store.forceUnlock(id));
            assertTrue(forced.getMessage().contains("locked by a running process: ") && forced.getMessage()
                    .contains("pid " + holder.pid()), forced.getMessage());
            assertTrue(Files.size(store.lockFile()) > 0, "the holder's details are left in place");

            holder.destroyForcibly();
            assertTrue(holder.waitFor(10, TimeUnit.SECONDS));
            try (StateStore.Held mine = store.lock("apply", Duration.ZERO)) {
                assertEquals(ProcessHandle.current().pid(), mine.lock().pid(), "taken at once, no force-unlock");
            }
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void aStateNamedThroughASymbolicLink_hasTheLockOfTheFileItNames_heldByAnotherProcess() throws Exception {
        Path file = dir.resolve("s.json");
        Files.createSymbolicLink(dir.resolve("alias.json"), file.getFileName()); // dangling until the state is written
        Files.createSymbolicLink(dir.resolve("via"), dir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), file.toString()).redirectErrorStream(true).start();
        try {
            String line = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertTrue(line != null && line.startsWith("locked "), "the child took the lock: " + line);
            String id = line.substring("locked ".length());
            for (Path spelling : new Path[] {dir.resolve("alias.json"), dir.resolve("via/s.json"),
                    dir.resolve("via/alias.json"), dir.resolve("../" + dir.getFileName() + "/./alias.json")}) {
                LocalStateStore store = new LocalStateStore(spelling, "t");
                StateLockException busy = assertThrows(StateLockException.class,
                        () -> store.lock("apply", Duration.ZERO), spelling.toString());
                assertEquals(id, busy.holder().id(), spelling.toString());
                assertEquals(dir.toRealPath().resolve("s.json.journal"), store.journalFile(),
                        "one journal for one file: " + spelling);
            }
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void aWriteThroughASymbolicLink_updatesTheFileItNames_andKeepsTheLink() throws Exception {
        Path file = dir.resolve("s.json");
        Path alias = dir.resolve("alias.json");
        Files.createSymbolicLink(alias, file.getFileName());
        LocalStateStore store = new LocalStateStore(alias, "t");
        State first = store.read();
        store.write(first.next(first.resources(), "t"));
        assertTrue(Files.isSymbolicLink(alias), "the link is kept");
        assertEquals(1, new LocalStateStore(file, "t").read().serial());
    }

    @Test
    void aLockFileThatCannotBeWritten_isReportedInTheSystemsWords_notAsALockHeld() throws Exception {
        LocalStateStore store = new LocalStateStore(dir.resolve("s.json"), "t");
        Files.createDirectory(store.lockFile()); // a folder where the lock file should be: refused even to root
        StateLockException e = assertThrows(StateLockException.class, () -> store.lock("apply", Duration.ZERO));
        assertTrue(e.getMessage().startsWith("cannot write the lock file " + store.lockFile() + ": Is a directory"),
                e.getMessage());
        assertTrue(!e.getMessage().contains("Error acquiring") && !e.getMessage().contains("force-unlock")
                && !e.getMessage().contains("Exception"), e.getMessage());

        LockFile lock = new LockFile(dir.resolve("s.json"), java.time.Clock.systemUTC(), io.certform.base.Sleeper.SYSTEM);
        String readOnly = lock.cannotUse(new java.nio.file.FileSystemException(lock.file().toString(), null,
                "Read-only file system")).getMessage();
        assertEquals("cannot write the lock file " + lock.file() + ": Read-only file system (" + lock.file() + ")."
                + " certform writes its lock, journal and state beside the state file, so that folder must be"
                + " writable: make it writable, or point --state or the manifest's 'state' at a writable folder."
                + " No other run holds the lock; nothing was changed.", readOnly);
    }

    @Test
    void release_clearsTheDetails_butNeverDeletesTheFile() throws Exception {
        LocalStateStore store = new LocalStateStore(dir.resolve("s.json"), "t");
        try (StateStore.Held held = store.lock("apply", Duration.ZERO)) {
            assertTrue(Files.readString(store.lockFile()).contains("\"id\":\"" + held.lock().id() + "\""));
        }
        assertTrue(Files.exists(store.lockFile()));
        assertEquals(0, Files.size(store.lockFile()));
        StateLockException nothing = assertThrows(StateLockException.class, () -> store.forceUnlock("any"));
        assertTrue(nothing.getMessage().startsWith("the state is not locked, so there is nothing to unlock."),
                nothing.getMessage());
    }

    @Test
    void lockingInAMissingFolder_saysSo() {
        LocalStateStore store = new LocalStateStore(dir.resolve("missing/s.json"), "t");
        StateLockException e = assertThrows(StateLockException.class, () -> store.lock("apply", Duration.ZERO));
        assertTrue(e.getMessage().startsWith("the folder of the state file does not exist"), e.getMessage());
    }
}
