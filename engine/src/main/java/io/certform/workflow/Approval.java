package io.certform.workflow;

import io.certform.rollout.RolloutPlan;
import java.io.IOException;

/**
 * The questions an apply asks the person running it, as Terraform's backend asks its {@code UIInput}: go ahead with
 * the plan just shown, and start the next wave of a rollout. The command line answers them (from standard input,
 * or from {@code --auto-approve}); the operation only asks, and never prints.
 */
public interface Approval {

    /** Whether to perform the plan just shown; false cancels the run, with nothing changed. */
    boolean confirm(boolean destroying) throws IOException;

    /** Asked before each wave after the first with --confirm-waves; false stops the rollout. */
    boolean nextWave(RolloutPlan.Wave next);
}
