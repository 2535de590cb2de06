package io.certform.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.manifest.RolloutSpec;
import io.certform.plan.Action;
import io.certform.plan.Plan;
import io.certform.plan.ResourceChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which changes of a plan go out in which wave. */
class RolloutPlanTest {

    private static ResourceChange change(String address, Action action) {
        return new ResourceChange(address, action, Set.of(), null, null); // only address and action matter here
    }

    private static RolloutSpec spec(List<RolloutSpec.WaveSize> waves) {
        return new RolloutSpec(true, waves, RolloutSpec.Verify.TLS, RolloutSpec.Probe.DEFAULT, 0,
                RolloutSpec.OnFailure.ROLLBACK, null);
    }

    @Test
    void onlyBindingChangesAreInWaves_removalsGoAfter_movesAndNoOpsInNone() {
        Plan plan = new Plan(List.of(change("a[1]", Action.CREATE), change("a[2]", Action.DELETE),
                change("a[3]", Action.UPDATE), change("a[4]", Action.NO_OP), change("a[5]", Action.REPLACE),
                change("a[6]", Action.MOVE), change("a[7]", Action.CREATE)), "lineage", 3);
        RolloutPlan rollout = RolloutPlan.of(plan, spec(List.of(RolloutSpec.WaveSize.count(1),
                RolloutSpec.WaveSize.REST)));
        assertEquals(List.of(new RolloutPlan.Wave(1, List.of("a[1]")),
                new RolloutPlan.Wave(2, List.of("a[3]", "a[5]", "a[7]"))), rollout.waves());
        assertEquals(List.of("a[2]"), rollout.afterWaves());
        assertEquals(2, rollout.waveOf("a[5]"));
        assertEquals(0, rollout.waveOf("a[6]"));
        assertEquals("2 waves: 1, 3 bindings; verify tls; on failure rollback (at most 0 failures per wave)",
                rollout.summary());
        assertEquals(List.of("1 removal goes after the last wave, once every binding is out."), rollout.notes());
    }

    @Test
    void aListThatDoesNotEndWith100Percent_isSaidToLeaveTheRestToTheLastWave() {
        List<ResourceChange> changes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            changes.add(change(String.format("site[d%03d]", i), Action.CREATE));
        }
        RolloutPlan rollout = RolloutPlan.of(new Plan(changes, "l", 0),
                spec(List.of(RolloutSpec.WaveSize.count(1), RolloutSpec.WaveSize.percent(10))));
        assertEquals(List.of(1, 20, 179), rollout.waveSizes());
        assertTrue(rollout.notes().get(0).contains("do not end with \"100%\": the last wave takes the bindings"
                + " they leave"), rollout.notes().toString());
        RolloutPlan full = RolloutPlan.of(new Plan(changes, "l", 0), spec(List.of(RolloutSpec.WaveSize.count(1),
                RolloutSpec.WaveSize.percent(10), RolloutSpec.WaveSize.REST)));
        assertEquals(List.of(), full.notes());
    }

    @Test
    void aPlanThatBindsNothing_hasNoWave() {
        RolloutPlan rollout = RolloutPlan.of(new Plan(List.of(change("a[1]", Action.DELETE)), "l", 1),
                spec(List.of(RolloutSpec.WaveSize.REST)));
        assertEquals(List.of(), rollout.waves());
        assertTrue(rollout.summary().startsWith("no wave (nothing to bind); verify tls"), rollout.summary());
    }
}
