package io.certform.workflow;

import io.certform.apply.ApplyListener;
import io.certform.plan.Drift;
import io.certform.plan.Plan;
import io.certform.rollout.RolloutPlan;
import java.time.Instant;
import java.util.Map;

/**
 * What an {@link ApplyOperation} shows as it goes, from the plan to the rollout's closing table: the command's
 * view implements it, and adds the summary it renders from the result.
 */
public interface ApplyProgress extends ApplyListener {

    /** The plan about to be applied (before the confirmation, when one is asked). */
    void planned(Plan plan, Map<String, Drift> drift, Instant now);

    /** The waves the plan goes out in, shown with it; null for a plan applied all at once. */
    ApplyProgress rollingOut(RolloutPlan rollout);

    /** A note for the reader that is not an event of one change (recovery of an interrupted run, and the like). */
    void note(String text);

    /** A rollout's wave begins. */
    default void waveStarting(RolloutPlan.Wave wave, int waves) {
        note("Wave " + wave.number() + " of " + waves
                + (wave.provider() == null ? "" : " (provider " + wave.provider() + ")") + ": " + wave.addresses().size() + " change(s).");
    }

    /** The TLS check of one domain. */
    default void verified(io.certform.verify.Verification verification) {
    }

    /** A rollout's wave ended (applied, checked, and rolled back if it failed). */
    default void waveDone(RolloutRun.WaveReport report) {
    }

    /** The per-wave table that ends a rollout. */
    default void rolloutReport(RolloutRun.Report report) {
    }
}
