package io.certform.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "version", description = "Print certform's version.")
final class VersionCommand implements Callable<Integer>, Main.ContextAware {
    private Context context;

    @Override
    public void context(Context value) {
        this.context = value;
    }

    @Override
    public Integer call() {
        context.out().println("certform " + Version.VALUE);
        return Main.OK;
    }
}
