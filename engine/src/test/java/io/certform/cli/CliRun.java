package io.certform.cli;

import io.certform.base.Environment;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.time.Clock;
import java.util.Map;

/** One run of the CLI in-process, with what it printed. */
record CliRun(int exitCode, String out, String err) {

    static CliRun run(Map<String, String> env, String stdin, String... args) {
        return run(env, stdin, false, false, args);
    }

    /** As {@link #run(Map, String, String...)}, with standard output and standard error terminals or not. */
    static CliRun run(Map<String, String> env, String stdin, boolean outTerminal, boolean errTerminal,
                      String... args) {
        return run(Clock.systemUTC(), env, stdin, outTerminal, errTerminal, args);
    }

    /** As {@link #run(Map, String, String...)}, on {@code clock} (e.g. later than now, as a run made after a wait). */
    static CliRun runAt(Clock clock, Map<String, String> env, String stdin, String... args) {
        return run(clock, env, stdin, false, false, args);
    }

    /**
     * As {@link #run(Map, String, String...)}, reading standard input from {@code in} (which may wait, as a person
     * does) and writing standard error to {@code err} as well (which may watch what is said while the run goes on).
     */
    static CliRun run(Map<String, String> env, BufferedReader in, Writer err, String... args) {
        StringWriter out = new StringWriter();
        int code = Main.run(new Context(new PrintWriter(out), new PrintWriter(err), in, environment(env),
                Clock.systemUTC(), false, false, false), args);
        return new CliRun(code, out.toString(), err.toString());
    }

    private static CliRun run(Clock clock, Map<String, String> env, String stdin, boolean outTerminal,
                              boolean errTerminal, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Context context = new Context(new PrintWriter(out), new PrintWriter(err),
                new BufferedReader(new StringReader(stdin)), environment(env), clock, outTerminal, errTerminal,
                false);
        int code = Main.run(context, args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Never the developer's own ~/.huaweicloud/credentials: HOME points nowhere unless the test sets it. */
    private static Environment environment(Map<String, String> env) {
        return name -> name.equals("HOME") && !env.containsKey("HOME") ? "/nonexistent/certform-test-home"
                : env.get(name);
    }

    String all() {
        return out + err;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
