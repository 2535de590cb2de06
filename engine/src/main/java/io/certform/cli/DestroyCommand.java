package io.certform.cli;

import picocli.CommandLine.Command;

@Command(name = "destroy", mixinStandardHelpOptions = true,
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
}
