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
 * @param terminal    whether standard output is a terminal (colour is on by default only then)
 * @param ownsProcess whether certform runs as its own process (then it handles SIGINT and SIGTERM itself)
 */
public record Context(PrintWriter out, PrintWriter err, BufferedReader in, Environment environment, Clock clock,
                      boolean terminal, boolean ownsProcess) {

    public Context(PrintWriter out, PrintWriter err, BufferedReader in, Environment environment, Clock clock,
                   boolean terminal) {
        this(out, err, in, environment, clock, terminal, false);
    }

    public Style style(boolean noColorFlag) {
        String noColor = environment.get("NO_COLOR");
        boolean color = terminal && !noColorFlag && (noColor == null || noColor.isEmpty());
        return new Style(color);
    }
}
