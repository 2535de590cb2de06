package io.certform.state.local;

import io.certform.state.JournalRecord;
import io.certform.state.ResourceState;
import io.certform.state.RunRecorder;
import io.certform.state.StateStore;
import io.certform.base.Sleeper;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A small recorded run, for a child JVM that {@code CERTFORM_CRASH_AT} kills part way: {@value #CALLS} calls,
 * the first {@value #SEEDED} removing seeded bindings, the others adding bindings. Call {@code i} is voided when
 * {@code i % 6 == 3}, left open when {@code i % 6 == 5}, else done. "sent ADDR" is printed once an intent is
 * durable (when its call may be sent); "result ADDR" once its result is recorded.
 */
final class RecorderScenario {

    static final int CALLS = 30;
    static final int SEEDED = 5;

    enum Outcome { DONE, VOID, OPEN }

    private RecorderScenario() {
    }

    static Outcome outcome(int i) {
        return i % 6 == 3 ? Outcome.VOID : i % 6 == 5 ? Outcome.OPEN : Outcome.DONE;
    }

    static ResourceState binding(int i) {
        return new ResourceState("c[d" + i + ".example.com]", "c", "inst", "grp", "dom" + i, "d" + i + ".example.com",
                "ssl" + i, "cert_name", "global", null, "ECC", "sha" + i, "chain" + i, null, "5a" + i,
                "2031-08-16T06:36:13Z", "Test CA");
    }

    /** The state the scenario starts from: the seeded bindings, serial 1. */
    static List<ResourceState> seeded() {
        List<ResourceState> seeded = new ArrayList<>();
        for (int i = 0; i < SEEDED; i++) {
            seeded.add(binding(i));
        }
        return seeded;
    }

    /** args: state file, compaction threshold in bytes. */
    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        LocalStateStore store = new LocalStateStore(Path.of(args[0]), "t", Clock.systemUTC(), Sleeper.SYSTEM,
                Long.parseLong(args[1]));
        try (StateStore.Held lock = store.lock("apply", java.time.Duration.ZERO);
             RunRecorder run = store.record(store.read())) {
            for (int i = 0; i < CALLS; i++) {
                ResourceState b = binding(i);
                Instant at = Instant.now();
                run.intend(i < SEEDED ? JournalRecord.Intent.unbind(b, at) : JournalRecord.Intent.bind(b, null, at));
                out.println("sent " + b.address());
                out.flush();
                switch (outcome(i)) {
                    case VOID -> run.voided(b.address());
                    case DONE -> run.done(i < SEEDED ? JournalRecord.Done.unbound(b.address())
                            : JournalRecord.Done.bound(b));
                    default -> {
                        continue;
                    }
                }
                out.println("result " + b.address());
                out.flush();
            }
            run.finish();
            out.println("finished");
        }
    }
}
