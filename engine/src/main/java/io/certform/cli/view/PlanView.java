package io.certform.cli.view;

import io.certform.plan.Drift;
import io.certform.plan.Pending;
import io.certform.plan.Plan;
import io.certform.plan.DesiredPattern;
import io.certform.rollout.RolloutPlan;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Shows a plan: {@link HumanPlanView} for people, {@link JsonPlanView} for pipelines. */
public interface PlanView {
    /**
     * @param drift what a refresh found changed outside certform, by address
     * @param now   for "days left" in human output
     */
    void render(Plan plan, Map<String, Drift> drift, Instant now);

    /** Also shows what each {@code match:} pattern selected when the plan was made. */
    PlanView selecting(List<DesiredPattern.Selection> selections);

    /** Also shows the waves the plan goes out in; null (the default) for a plan applied all at once. */
    PlanView rollingOut(RolloutPlan rollout);

    /**
     * Also shows what the plan cannot know until the next apply settles it (open intents of an interrupted run, a
     * rollout wave whose check was cut short); with any, the plan never says "No changes".
     */
    PlanView pending(Pending pending);
}
