package io.certform.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script.", "Use: source <(certform completion bash)"})
final class CompletionCommand implements Callable<Integer>, Main.ContextAware {
    @Parameters(paramLabel = "SHELL", description = "The shell: bash (zsh reads it too, with bashcompinit).")
    String shell;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Context context;

    @Override
    public void context(Context value) {
        this.context = value;
    }

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new CliException(Main.ERROR, "no completion for '" + shell + "': certform completes bash and zsh.");
        }
        context.out().print(AutoComplete.bash("certform", spec.root().commandLine()));
        return Main.OK;
    }
}
