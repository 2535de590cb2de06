package io.certform.cli;

import picocli.CommandLine.Command;

@Command(name = "destroy", mixinStandardHelpOptions = true,
        description = {"Remove every certificate binding certform recorded in the state.",
                "Shows the plan and asks for 'yes' unless --auto-approve is given."})
final class DestroyCommand extends ApplyCommand {
    @Override
    boolean destroying() {
        return true;
    }
}
