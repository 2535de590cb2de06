package io.certform.cli;

import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

@Command(name = "destroy", mixinStandardHelpOptions = true, modelTransformer = DestroyCommand.Inputs.class,
        description = {"Remove the certificate bindings certform recorded in the state (all, or --target'ed ones).",
                "Shows the plan and asks for 'yes' unless --auto-approve is given."})
final class DestroyCommand extends ApplyCommand {
    @Override
    boolean destroying() {
        return true;
    }

    @Override
    String operation() {
        return "destroy";
    }

    /**
     * destroy runs apply's code, not with all of apply's inputs: it takes no saved plan (as {@code terraform
     * destroy}; {@code plan --destroy -out FILE} then {@code apply FILE} does that) and none of the rollout options
     * (removals go in no wave), nor {@code -replace} (it removes, it makes nothing anew). Those stay parsed, hidden
     * from the help and the docs, so that a user who gives one is told why it is refused and what to run instead,
     * rather than only "Unknown option".
     */
    static final class Inputs implements CommandLine.IModelTransformer {
        /** apply's rollout options that destroy refuses; --notify stays (it reports the destroy). */
        static final Set<String> WAVE_OPTIONS = Set.of("--waves", "--verify", "--max-failures", "--on-failure",
                "--probe-resolve", "--wave-pause", "--confirm-waves");

        @Override
        public CommandSpec transform(CommandSpec spec) {
            for (PositionalParamSpec p : List.copyOf(spec.positionalParameters())) {
                spec.remove(p);
                spec.addPositional(p.toBuilder().hidden(true).build());
            }
            for (OptionSpec o : List.copyOf(spec.options())) {
                if (WAVE_OPTIONS.contains(o.longestName()) || o.longestName().equals("--replace")) {
                    spec.remove(o);
                    spec.addOption(o.toBuilder().hidden(true).build());
                } else if (o.longestName().equals("--notify")) {
                    spec.remove(o);
                    spec.addOption(o.toBuilder().description("POST the JSON summary of the destroy to this http(s)"
                            + " URL (it never carries a secret).").build());
                } else if (o.longestName().equals("--json")) {
                    spec.remove(o);
                    spec.addOption(o.toBuilder().description("Print one JSON object per line per event (needs"
                            + " --auto-approve).").build());
                }
            }
            return spec;
        }
    }
}
