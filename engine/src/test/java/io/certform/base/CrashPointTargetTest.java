package io.certform.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
        CrashPoint.reach("after-intent"); // CERTFORM_CRASH_AT is not set for the test JVM: this returns
    }
}
