/**
 * Rollouts in waves: which bindings go out in which wave ({@link io.certform.rollout.Waves},
 * {@link io.certform.rollout.RolloutPlan}), and the settings a rollout runs with, from the manifest's
 * {@code rollout:} block and apply's flags ({@link io.certform.rollout.RolloutSettings}). Pure values and functions:
 * nothing here calls the gateway.
 */
package io.certform.rollout;
