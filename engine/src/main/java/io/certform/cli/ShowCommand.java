package io.certform.cli;

import io.certform.cli.view.HumanPlanView;
import io.certform.workflow.SavedPlan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Show a plan saved by 'certform plan -out FILE', as plan showed it (--json: the JSON of"
                + " plan --json).", "Reads the plan file only: no manifest, key, state or network is needed, so a"
                + " reviewer can read the plan a pipeline saved."})
final class ShowCommand implements Callable<Integer>, Main.ContextAware, Main.Output {

    @Parameters(paramLabel = "PLANFILE", description = "A plan saved by 'certform plan -out'.")
    Path planFile;

    @Option(names = {"--json", "-json"}, description = "Print the plan as JSON, exactly as plan --json does.")
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
    public Integer call() throws IOException {
        PlanFormat shown = PlanFormat.of(format, json, compact);
        SavedPlan.File saved;
        try {
            saved = SavedPlan.read(planFile);
        } catch (SavedPlan.StaleException e) {
            throw new CliException(Main.ERROR, e.getMessage());
        }
        SavedPlan.Review review = SavedPlan.review(saved);
        if (shown != PlanFormat.TEXT) {
            shown.machineView(context.out(), saved.certformVersion()).rollingOut(review.rollout()).render(review.plan(), review.drift(),
                    context.clock().instant());
            return Main.OK;
        }
        var style = context.style(noColor);
        context.out().println(style.bold("Saved plan " + planFile) + (saved.destroy() ? " (a destroy plan)" : "")
                + ", made by certform " + saved.certformVersion() + ":");
        context.out().println("  manifest: " + saved.manifest() + " (sha256 " + saved.manifestSha256() + ")");
        context.out().println("  state:    " + saved.state() + " (lineage " + saved.lineage() + ", serial "
                + saved.serial() + ")");
        HumanPlanView view = new HumanPlanView(context.out(), style);
        (compact ? view.compact() : view).rollingOut(review.rollout()).render(review.plan(), review.drift(), context.clock().instant());
        if (review.plan().hasChanges()) {
            context.out().println();
            context.out().println("To perform exactly these actions, run: certform apply " + planFile);
        }
        return Main.OK;
    }
}
