package io.certform.cli;

import io.certform.manifest.CertificateSpec;
import io.certform.manifest.Manifest;
import io.certform.manifest.RolloutSpec;
import io.certform.rollout.RolloutPlan;
import io.certform.rollout.RolloutSettings;
import io.certform.workflow.RolloutChecks;
import java.util.List;
import java.util.stream.Collectors;

/** Apply's rollout flags against the run: which it may take, and the settings they make with the manifest. */
final class Rollouts {

    private Rollouts() {
    }

    /**
     * Refuses flags the run cannot honour: destroy only removes (no wave binds anything), and a saved plan has
     * fixed its waves, verification and failure rule (they are shown in it).
     */
    static void refuseWhatTheRunCannotTake(RolloutOptions options, boolean destroying, boolean savedPlan) {
        if (destroying) {
            List<String> given = options.given().stream().filter(o -> !o.equals("--notify")).toList();
            if (!given.isEmpty()) {
                throw new CliException(Main.ERROR, String.join(", ", given) + (given.size() == 1 ? " is" : " are")
                        + " for apply: destroy only removes bindings, and removals go in no wave. Drop "
                        + (given.size() == 1 ? "it" : "them") + "; nothing was changed.");
            }
        }
        List<String> fixed = options.shapingThePlan();
        if (savedPlan && !fixed.isEmpty()) {
            throw new CliException(Main.ERROR, String.join(", ", fixed) + " cannot be used with a saved plan: the"
                    + " plan fixed its waves, verification and failure rule from the manifest's rollout block (show"
                    + " lists them). Change the rollout block and run plan -out again; nothing was changed.");
        }
    }


    /**
     * The manifest's rollout with the flags over it. A rollback asked for by {@code --on-failure} needs the same
     * {@code previous:} material as one the manifest asks for (which validate already checked).
     */
    static RolloutSettings settings(RolloutOptions options, Manifest manifest, boolean stdinTerminal) {
        RolloutSettings settings = options.settings(manifest.rollout(), stdinTerminal);
        if (settings.rollout().onFailure() == RolloutSpec.OnFailure.ROLLBACK
                && manifest.rollout().onFailure() != RolloutSpec.OnFailure.ROLLBACK) {
            List<CertificateSpec> lacking = RolloutChecks.lackingPrevious(manifest);
            if (!lacking.isEmpty()) {
                throw new CliException(Main.ERROR, "--on-failure rollback needs the previous certificate of each"
                        + " per-domain certificate, and " + lacking.stream().map(c -> "'" + c.key() + "' (at "
                        + c.range() + ")").collect(Collectors.joining(", ")) + (lacking.size() == 1 ? " has" : " have")
                        + " none. Add previous: { cert_content: ..., private_key: ... } to "
                        + (lacking.size() == 1 ? "it" : "them") + ", or use --on-failure stop; nothing was changed.");
            }
        }
        return settings;
    }
}
