package io.certform.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code -replace=ADDR}: an unchanged (or updated) binding becomes a replacement; a wrong address is named. */
class ReplacementsTest {

    private static final Instant BOUND = Instant.parse("2031-08-16T06:36:13Z");

    @Test
    void unchangedBinding_isReplaced_withTheRequestAsItsReason() {
        Plan plan = Planner.plan(List.of(DowngradeTest.desired("5a02", BOUND)), DowngradeTest.bound());
        assertEquals(Action.NO_OP, plan.changes().get(0).action());
        List<String> asked = List.of("shop[API.example.com]");
        assertEquals(List.of(), Replacements.problems(plan, asked));
        ResourceChange replaced = Replacements.force(plan, asked).changes().get(0);
        assertEquals(Action.REPLACE, replaced.action());
        assertTrue(replaced.reasons().contains(Reason.REPLACE_REQUESTED), replaced.toString());
    }

    @Test
    void addressesThatAreNoBindingOfThePlan_areNamed() {
        Plan plan = Planner.plan(List.of(DowngradeTest.desired("5a02", BOUND)), DowngradeTest.bound());
        List<String> problems = Replacements.problems(plan, List.of("shop", "shop[www.example.com]"));
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("-replace shop: no binding"), problems.get(0));
        Plan removing = Planner.plan(List.of(), DowngradeTest.bound());
        assertTrue(Replacements.problems(removing, List.of("shop[api.example.com]")).get(0)
                .contains("it is to be removed"));
    }
}
