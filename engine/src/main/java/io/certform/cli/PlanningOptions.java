package io.certform.cli;

import io.certform.plan.Targets;
import io.certform.workflow.Operations;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options of every command that plans: refresh, targeting. */
public final class PlanningOptions {
    @Option(names = {"--refresh", "-refresh"}, arity = "1", defaultValue = "true", paramLabel = "true|false",
            description = "Read the remote side first and plan drift back to the manifest (default: ${DEFAULT-VALUE})."
                    + " With false, what the state records is not read; a binding it does not record is still looked"
                    + " at, so what is in place is adopted.")
    boolean refresh;

    @Option(names = {"--target", "-target"}, paramLabel = "ADDR",
            description = "Plan only this binding (KEY[DOMAIN]) or certificate's bindings (KEY); another provider's"
                    + " as provider.P.KEY[DOMAIN], provider.P.KEY, or every binding of a provider (provider.P,"
                    + " provider.default); repeatable.")
    List<String> targets = new ArrayList<>();

    @Option(names = {"--exclude", "-exclude"}, paramLabel = "ADDR",
            description = "Leave this binding or certificate's bindings (or a provider's, provider.P) out of the"
                    + " plan; repeatable.")
    List<String> excludes = new ArrayList<>();

    @Option(names = {"--replace", "-replace"}, paramLabel = "ADDR",
            description = "Upload and bind this binding's certificate again (KEY[DOMAIN]), or make a shared"
                    + " certificate (KEY) anew, even when nothing changed; the plan shows it as a replacement."
                    + " Repeatable.")
    List<String> replace = new ArrayList<>();

    Operations.PlanOptions options(boolean destroy) {
        if (destroy && !replace.isEmpty()) {
            throw new CliException(Main.ERROR, "-replace cannot be combined with a destroy: a binding being removed is"
                    + " not replaced. Nothing was changed.");
        }
        return new Operations.PlanOptions(destroy, refresh, new Targets(targets, excludes)).replacing(replace);
    }
}
