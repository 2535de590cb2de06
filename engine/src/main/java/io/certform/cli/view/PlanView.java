package io.certform.cli.view;

import io.certform.plan.Plan;
import java.time.Instant;

/** Shows a plan: {@link HumanPlanView} for people, {@link JsonPlanView} for pipelines. */
public interface PlanView {
    /**
     * @param now for "days left" in human output
     */
    void render(Plan plan, Instant now);
}
