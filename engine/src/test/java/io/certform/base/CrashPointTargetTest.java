package io.certform.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CrashPointTargetTest {

    @Test
    void target_isANameWithAnOptionalCount_andAnythingElseArmsNothing() {
        assertEquals(new CrashPoint.Target("after-intent", 1), CrashPoint.Target.parse("after-intent"));
        assertEquals(new CrashPoint.Target("mid-compaction", 3), CrashPoint.Target.parse("mid-compaction:3"));
        assertNull(CrashPoint.Target.parse(null));
        assertNull(CrashPoint.Target.parse(" "));
        assertNull(CrashPoint.Target.parse("after-done:0"));
        assertNull(CrashPoint.Target.parse("after-done:x"));
    }

    @Test
    void anUnarmedPoint_doesNothing() {
        AtomicInteger halts = new AtomicInteger();
        CrashPoint.Points unarmed = new CrashPoint.Points(null, halts::incrementAndGet);
        for (String name : new String[] {"after-intent", "after-intent", "mid-compaction", ""}) {
            unarmed.reach(name);
        }
        assertEquals(0, halts.get(), "an unarmed point never halts");
        assertEquals(0, unarmed.reached(), "an unarmed point counts nothing");

        assertNull(System.getenv(CrashPoint.VARIABLE), "the test JVM runs with no crash point armed");
        CrashPoint.reach("after-intent"); // the process's own points: unarmed, so this returns
        CrashPoint.reach("after-intent");
    }

    @Test
    void anArmedPoint_haltsOnce_theNthTimeItsOwnNameIsReached() {
        AtomicInteger halts = new AtomicInteger();
        CrashPoint.Points armed = new CrashPoint.Points(CrashPoint.Target.parse("after-intent:2"),
                halts::incrementAndGet);
        armed.reach("after-done");
        armed.reach("after-intent");
        assertEquals(0, halts.get(), "another point's name and the first reach of its own do not halt");
        assertEquals(1, armed.reached(), "only its own name is counted");
        armed.reach("after-intent");
        assertEquals(1, halts.get(), "the second reach of after-intent halts");
        armed.reach("after-intent");
        armed.reach("after-intent");
        assertEquals(1, halts.get(), "a point halts once");
    }
}
