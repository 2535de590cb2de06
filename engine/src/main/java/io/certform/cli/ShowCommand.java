package io.certform.cli;

import io.certform.manifest.ManifestParser;
import io.certform.state.State;
import io.certform.state.StateCodec;
import io.certform.state.StateException;
import io.certform.state.StateStore;
import io.certform.workflow.SavedPlan;
import io.certform.workflow.StateStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Show the current state, or a plan saved by 'certform plan -out FILE'.",
                "Without PLANFILE: every binding the state records (the manifest's state, or --state FILE; --json:"
                        + " the state's JSON); reads the state only, no key or network is needed.",
                "With PLANFILE: the plan as plan showed it (--json: the JSON of plan --json). Reads the plan file"
                        + " only: no manifest, key, state or network is needed, so a reviewer can read the plan a"
                        + " pipeline saved."})
final class ShowCommand implements Callable<Integer>, Main.ContextAware, Main.Output {

    @Parameters(arity = "0..1", paramLabel = "PLANFILE", description = "A plan saved by 'certform plan -out'"
            + " (default: show the current state).")
    Path planFile;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", defaultValue = "certform.yaml",
            description = "Without PLANFILE: the manifest whose state to show (default: ${DEFAULT-VALUE} in the"
                    + " current folder).")
    Path file;

    @Option(names = {"--state", "-state"}, paramLabel = "FILE",
            description = "Without PLANFILE: the state file to show (default: the manifest's 'state', else"
                    + " certform.state.json beside it).")
    Path state;

    @Option(names = {"--json", "-json"}, description = "Print the plan as JSON, exactly as plan --json does (without"
            + " PLANFILE: the state's JSON).")
    boolean json;

    @Option(names = {"--format", "-format"}, paramLabel = "FORMAT", description = PlanFormat.DESCRIPTION)
    PlanFormat format;

    @Option(names = {"--compact", "-compact"},
            description = "One line per change (address and action), for plans of thousands of bindings.")
    boolean compact;

    @Option(names = {"--no-color", "-no-color"}, description = "No ANSI colour in the output (also: NO_COLOR).")
    boolean noColor;

    private Context context;

    @Override
    public void context(Context value) {
        this.context = value;
    }

    @Override
    public boolean jsonOutput() {
        return json || format == PlanFormat.JSON;
    }

    @Override
    public boolean noColor() {
        return noColor;
    }

    @Override
    public Integer call() throws IOException, StateException {
        PlanFormat shown = PlanFormat.of(format, json, compact);
        if (planFile == null) {
            if (compact || shown == PlanFormat.MARKDOWN) {
                throw new CliException(Main.ERROR, (compact ? "--compact" : "--format markdown") + " shapes a plan:"
                        + " name the PLANFILE that 'certform plan -out' saved, or drop it to show the state.");
            }
            return showState(shown == PlanFormat.JSON);
        }
        SavedPlan.File saved;
        try {
            saved = SavedPlan.read(planFile);
        } catch (SavedPlan.StaleException e) {
            throw new CliException(Main.ERROR, e.getMessage());
        }
        SavedPlan.Review review = SavedPlan.review(saved);
        if (shown != PlanFormat.TEXT) {
            Views.plan(context, context.style(noColor), shown, false, true, saved.certformVersion())
                    .rollingOut(review.rollout()).render(review.plan(), review.drift(), context.clock().instant());
            return Main.OK;
        }
        var style = context.style(noColor);
        context.out().println(style.bold("Saved plan " + planFile) + (saved.destroy() ? " (a destroy plan)" : "")
                + ", made by certform " + saved.certformVersion() + ":");
        context.out().println("  manifest: " + saved.manifest() + " (sha256 " + saved.manifestSha256() + ")");
        context.out().println("  state:    " + saved.state() + " (lineage " + saved.lineage() + ", serial "
                + saved.serial() + ")");
        Views.plan(context, style, shown, compact, true, saved.certformVersion()).rollingOut(review.rollout())
                .render(review.plan(), review.drift(), context.clock().instant());
        if (review.plan().hasChanges()) {
            context.out().println();
            context.out().println("To perform exactly these actions, run: certform apply " + planFile);
        }
        return Main.OK;
    }

    /** The current state, as Terraform's {@code show} without a plan shows it: every resource, its attributes. */
    private int showState(boolean asJson) throws StateException {
        try (StateStore store = stateStore()) {
            State current = store.read();
            if (asJson) {
                context.out().println(StateCodec.toText(current));
                return Main.OK;
            }
            if (current.serial() == 0 && current.resources().isEmpty()) {
                context.out().println("No state yet in " + store.describe() + ": nothing has been applied.");
                return Main.OK;
            }
            context.out().println("# " + store.describe() + ": serial " + current.serial() + ", lineage "
                    + current.lineage() + ", " + current.resources().size()
                    + (current.resources().size() == 1 ? " binding" : " bindings"));
            current.resources().forEach(r -> {
                context.out().println();
                StateCommand.ShowCommand.print(context.out(), r);
            });
            return Main.OK;
        }
    }

    /** --state FILE, else the manifest's state (only its structure is read: no key is needed). */
    private StateStore stateStore() {
        if (state != null) {
            return StateStores.open(null, state, context.environment(), Version.VALUE);
        }
        if (!Files.exists(file)) {
            throw new CliException(Main.ERROR, "no manifest " + file + " to find the state from: name it with"
                    + " -f FILE, or the state with --state FILE, or give the PLANFILE to show.");
        }
        ManifestParser.Result parsed = ManifestStructure.read(context.environment(), file, file.toString());
        if (parsed.manifest() == null) {
            new io.certform.cli.view.HumanDiagnosticsView(context.err(), context.errStyle(noColor))
                    .render(parsed.diagnostics());
            throw new CliException(Main.ERROR, "cannot find the state from the manifest; name a state file with"
                    + " --state FILE.");
        }
        try {
            return StateStores.open(parsed.manifest(), null, context.environment(), Version.VALUE);
        } catch (IllegalArgumentException e) {
            throw new CliException(Main.ERROR, "the state's PostgreSQL settings are wrong: " + e.getMessage()
                    + ". See docs/state.md.");
        }
    }
}
