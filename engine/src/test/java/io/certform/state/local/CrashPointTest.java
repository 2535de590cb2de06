package io.certform.state.local;

import io.certform.state.JournalRecord;
import io.certform.state.ResourceState;
import io.certform.state.State;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.CrashPoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A recorded run killed at each state-level crash point, in a child JVM: afterwards, state + journal account for
 * every call that may have been sent (no lost intent) and every result recorded (no lost result), and nothing
 * that was not sent appears.
 */
class CrashPointTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"after-intent:1", "after-intent:8", "after-done:4", "mid-compaction:1",
            "mid-compaction:2", "mid-compaction:3", "mid-compaction:4", "mid-state-write:1", "mid-state-write:3",
            "after-state-write:1", "after-state-write:3", "none"})
    void aRunKilledAtACrashPoint_losesNoIntentAndNoResult(String point) throws Exception {
        Path file = dir.resolve("s.json");
        LocalStateStore store = new LocalStateStore(file, "t");
        State seeded = State.empty("t").next(RecorderScenario.seeded(), "t");
        store.write(seeded);

        Child child = run(file, point);
        if (point.equals("none")) {
            assertEquals(0, child.status(), child.output().toString());
            assertTrue(child.output().contains("finished"));
        } else {
            assertEquals(CrashPoint.STATUS, child.status(), point + " was reached: " + child.output());
        }
        Set<String> sent = new HashSet<>();
        Set<String> resulted = new HashSet<>();
        for (String line : child.output()) {
            if (line.startsWith("sent ")) {
                sent.add(line.substring(5));
            } else if (line.startsWith("result ")) {
                resulted.add(line.substring(7));
            }
        }

        State committed = store.read();
        assertEquals(seeded.lineage(), committed.lineage());
        List<JournalRecord> journal = store.journal();
        State replayed = JournalRecord.replay(committed, journal);
        Set<String> open = new HashSet<>();
        JournalRecord.openIntents(journal).forEach(i -> open.add(i.address()));
        for (int i = 0; i < RecorderScenario.CALLS; i++) {
            ResourceState b = RecorderScenario.binding(i);
            boolean seed = i < RecorderScenario.SEEDED;
            Optional<ResourceState> now = replayed.resource(b.address());
            Optional<ResourceState> before = seed ? Optional.of(b) : Optional.empty();
            Optional<ResourceState> after = switch (RecorderScenario.outcome(i)) {
                case DONE -> seed ? Optional.empty() : Optional.of(b);
                case VOID, OPEN -> before;
            };
            String what = point + ", call " + i + " (" + b.address() + ")";
            if (open.contains(b.address())) {
                assertTrue(!resulted.contains(b.address()), what + ": its result was recorded, yet the intent is open");
                assertEquals(before, now, what + ": an open intent's binding is as before, for recovery to resolve");
            } else if (sent.contains(b.address())) {
                assertTrue(RecorderScenario.outcome(i) != RecorderScenario.Outcome.OPEN,
                        what + ": sent and never answered, so its intent must still be open");
                assertEquals(after, now, what + ": sent and no intent open, so its result must be recorded");
            } else {
                assertEquals(before, now, what + ": never sent, so unchanged");
            }
        }

        // Settling what is left leaves exactly the open intents, and the next run can record.
        List<JournalRecord.Intent> stillOpen = JournalRecord.openIntents(journal);
        store.settle(committed.next(replayed.resources(), "t"), stillOpen);
        assertEquals(new ArrayList<JournalRecord>(stillOpen), store.journal());
        assertEquals(replayed.resources(), store.read().resources());
    }

    private record Child(int status, List<String> output) {
    }

    private static Child run(Path file, String point) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), RecorderScenario.class.getName(), file.toString(), "3000")
                .redirectErrorStream(true);
        if (!point.equals("none")) {
            builder.environment().put(CrashPoint.VARIABLE, point);
        } else {
            builder.environment().remove(CrashPoint.VARIABLE);
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Child(process.exitValue(), output.lines().toList());
    }
}
