package io.certform.rollout;

import io.certform.manifest.RolloutSpec;
import java.net.URI;
import java.time.Duration;

/**
 * Everything a rollout runs with: the manifest's {@code rollout:} block with apply's flags over it, and what only
 * the command line says (the pause or the question between waves, where to post the summary). What apply's
 * execution reads; the plan shows {@link #rollout()}.
 *
 * @param rollout      the effective block: {@link RolloutSpec#declared()} when the manifest has one or a flag set
 *                     any of its values
 * @param wavePause    how long to wait between two waves ({@link Duration#ZERO}: none)
 * @param confirmWaves ask y/N on the terminal before each wave after the first
 * @param notifyUrl    where to POST the JSON summary, or null
 */
public record RolloutSettings(RolloutSpec rollout, Duration wavePause, boolean confirmWaves, URI notifyUrl) {

    /** No rollout: one wave, nothing verified, no pause, no question, no webhook. */
    public static final RolloutSettings NONE = new RolloutSettings(RolloutSpec.NONE, Duration.ZERO, false, null);

    public RolloutSettings {
        if (rollout == null) {
            rollout = RolloutSpec.NONE;
        }
        if (wavePause == null || wavePause.isNegative()) {
            throw new IllegalArgumentException("a wave pause is zero or more");
        }
    }

    /** Whether apply runs in waves (or verifies, or stops on failures) rather than all at once. */
    public boolean active() {
        return rollout.declared();
    }
}
