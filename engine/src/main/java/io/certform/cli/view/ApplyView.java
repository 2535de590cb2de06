package io.certform.cli.view;

import io.certform.apply.ApplyResult;
import io.certform.rollout.RolloutPlan;
import io.certform.workflow.ApplyProgress;

/**
 * Shows an apply from plan to summary: {@link HumanApplyView} for people, {@link JsonApplyView} for pipelines.
 * The operation reports its progress to it ({@link ApplyProgress}); the command renders the summary. Neither asks
 * which one it has.
 */
public interface ApplyView extends ApplyProgress {

    /** The waves the plan goes out in, shown with it; null for a plan applied all at once. */
    @Override
    ApplyView rollingOut(RolloutPlan rollout);

    /** The closing lines. */
    void summary(ApplyResult result, String stateDescription);
}
