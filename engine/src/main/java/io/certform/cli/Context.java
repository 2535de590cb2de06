package io.certform.cli;

import io.certform.cli.view.Style;
import io.certform.base.Environment;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.time.Clock;

/**
 * What a command may touch: its streams, the environment, the clock. Tests pass their own; nothing reads
 * {@code System.out} or {@code System.getenv} directly.
 *
 * @param terminal    whether standard output is a terminal (colour on standard output only then)
 * @param errTerminal whether standard error is a terminal (colour on standard error only then)
 * @param ownsProcess whether certform runs as its own process (then it handles SIGINT and SIGTERM itself)
 */
public record Context(PrintWriter out, PrintWriter err, BufferedReader in, Environment environment, Clock clock,
                      boolean terminal, boolean errTerminal, boolean ownsProcess) {

    /** Standard error counts as a terminal exactly when standard output does. */
    public Context(PrintWriter out, PrintWriter err, BufferedReader in, Environment environment, Clock clock,
                   boolean terminal, boolean ownsProcess) {
        this(out, err, in, environment, clock, terminal, terminal, ownsProcess);
    }

    public Context(PrintWriter out, PrintWriter err, BufferedReader in, Environment environment, Clock clock,
                   boolean terminal) {
        this(out, err, in, environment, clock, terminal, terminal, false);
    }

    /** The style of standard output: colour when it is a terminal, unless {@code --no-color} or NO_COLOR. */
    /**
     * Whether standard input is a terminal a person answers on: only certform's own process has one (a context made
     * by a test or an embedding program reads from a stream it was given).
     */
    public boolean stdinTerminal() {
        return ownsProcess && Terminals.stdin();
    }

    /** Tells the person waiting something worth knowing, on standard error. */
    public void note(String text) {
        err.println(text);
        err.flush();
    }

    public Style style(boolean noColorFlag) {
        return new Style(terminal && colourAllowed(noColorFlag));
    }

    /** The style of standard error (diagnostics, errors): colour only when standard error itself is a terminal. */
    public Style errStyle(boolean noColorFlag) {
        return new Style(errTerminal && colourAllowed(noColorFlag));
    }

    private boolean colourAllowed(boolean noColorFlag) {
        String noColor = environment.get("NO_COLOR");
        return !noColorFlag && (noColor == null || noColor.isEmpty());
    }
}
