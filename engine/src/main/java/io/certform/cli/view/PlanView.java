package io.certform.cli.view;

import io.certform.plan.Drift;
import io.certform.plan.Plan;
import io.certform.plan.DesiredPattern;
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
}
