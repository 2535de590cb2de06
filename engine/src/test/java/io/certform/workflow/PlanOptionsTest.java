package io.certform.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How many API groups a plan reads at once: 16 for plan, apply's --parallelism inside apply. */
class PlanOptionsTest {

    @Test
    void groupReads_followApplysParallelism_neverBelowTheDefault_andSurviveTheSettleWindow() {
        Operations.PlanOptions plan = Operations.PlanOptions.defaults();
        assertEquals(Operations.GROUP_READS, plan.groupReads());
        assertEquals(50, plan.readingGroups(50).groupReads());
        assertEquals(Operations.GROUP_READS, plan.readingGroups(4).groupReads());
        assertEquals(Operations.MAX_GROUP_READS, plan.readingGroups(256).groupReads());
        assertEquals(50, plan.readingGroups(50).settling(Duration.ofSeconds(1), Clock.systemUTC()).groupReads());
    }
}
