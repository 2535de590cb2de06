package io.certform.cli;

import io.certform.workflow.SavedPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code apply PLANFILE} takes from the command line: the manifest to check the plan against, and nothing
 * that would change what the plan does.
 */
final class SavedPlanInputs {

    /** Options a saved plan fixes, as Terraform refuses them: the plan already decided what they decide. */
    private static final List<String> FIXED = List.of("--target", "--exclude", "--refresh", "--replace");

    private SavedPlanInputs() {
    }

    static void refuseOptionsThePlanFixes(ManifestCommand command, boolean destroying) {
        if (destroying) {
            throw new CliException(Main.ERROR, "destroy does not take a saved plan. Save a destroy plan with"
                    + " 'certform plan --destroy -out FILE', then run 'certform apply FILE'; nothing was changed.");
        }
        for (String option : FIXED) {
            if (command.given(option)) {
                throw new CliException(Main.ERROR, option + " cannot be used with a saved plan: the plan already"
                        + " fixes what it changes. Give " + option + " to 'certform plan -out FILE' instead and apply"
                        + " that plan; nothing was changed.");
            }
        }
    }

    /**
     * The manifest to apply the plan with: {@code -f} when given; else {@code certform.yaml} in the current folder;
     * else the manifest the plan names, relative to the plan file's folder. The manifest's hash, checked later,
     * decides whether it is the one the plan was made from.
     */
    static Path manifest(SavedPlan.File saved, Path planFile, boolean fileGiven, Path file) {
        if (fileGiven || Files.isRegularFile(file)) {
            return file;
        }
        Path folder = planFile.toAbsolutePath().normalize().getParent();
        Path named = folder.resolve(saved.manifest()).normalize();
        if (Files.isRegularFile(named)) {
            return named;
        }
        throw new CliException(Main.ERROR, "cannot find the manifest of the plan " + planFile + ": neither " + file
                + " nor " + named + " exists. Name it with -f FILE (the plan checks it is the same manifest).");
    }

    /** The saved plan, or an error saying why the file is not one this certform applies. */
    static SavedPlan.File read(Path planFile) throws java.io.IOException {
        try {
            return SavedPlan.read(planFile);
        } catch (SavedPlan.StaleException e) {
            throw new CliException(Main.ERROR, e.getMessage());
        }
    }
}
