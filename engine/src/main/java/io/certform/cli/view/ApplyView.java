package io.certform.cli.view;

import io.certform.apply.ApplyListener;
import io.certform.apply.ApplyResult;
import io.certform.plan.Drift;
import io.certform.plan.Plan;
import io.certform.rollout.RolloutPlan;
import java.time.Instant;
import java.util.Map;

/**
 * Shows an apply from plan to summary: {@link HumanApplyView} for people, {@link JsonApplyView} for pipelines.
 * The command picks one and never asks which it has.
 */
public interface ApplyView extends ApplyListener {

    /** The plan about to be applied (before the confirmation, when one is asked). */
    void planned(Plan plan, Map<String, Drift> drift, Instant now);

    /** The waves the plan goes out in, shown with it; null for a plan applied all at once. */
    ApplyView rollingOut(RolloutPlan rollout);

    /** A note for the reader that is not an event of one change (recovery of an interrupted run, and the like). */
    void note(String text);

    /** A rollout's wave begins. */
    default void waveStarting(RolloutPlan.Wave wave, int waves) {
        note("Wave " + wave.number() + " of " + waves + ": " + wave.addresses().size() + " change(s).");
    }

    /** The TLS check of one domain. */
    default void verified(io.certform.verify.Verification verification) {
    }

    /** A rollout's wave ended (applied, checked, and rolled back if it failed). */
    default void waveDone(io.certform.workflow.RolloutRun.WaveReport report) {
    }

    /** The per-wave table that ends a rollout. */
    default void rolloutReport(io.certform.workflow.RolloutRun.Report report) {
    }

    /** The closing lines. */
    void summary(ApplyResult result, String stateDescription);
}
