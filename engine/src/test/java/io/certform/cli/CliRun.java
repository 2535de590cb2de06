package io.certform.cli;

import io.certform.base.CrashPoint;
import io.certform.base.Environment;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of the CLI, with what it printed: in-process (the usual way), or in a child JVM (to kill it at a crash
 * point, or to hold a lock while the test runs another). Never the developer's own ~/.huaweicloud/credentials:
 * HOME points nowhere unless the test sets it.
 */
public record CliRun(int exitCode, String out, String err) {

    /** The environment of a run against a simulator that accepts the token "tok". */
    public static final Map<String, String> TOKEN_ENV = Map.of("CERTFORM_AUTH_TOKEN", "tok");

    private static final String NO_HOME = "/nonexistent/certform-test-home";

    /** In-process, with {@link #TOKEN_ENV} and nothing on standard input. */
    public static CliRun run(String... args) {
        return run(TOKEN_ENV, "", args);
    }

    public static CliRun run(Map<String, String> env, String stdin, String... args) {
        return run(env, stdin, false, false, args);
    }

    /** As {@link #run(Map, String, String...)}, with standard output and standard error terminals or not. */
    public static CliRun run(Map<String, String> env, String stdin, boolean outTerminal, boolean errTerminal,
                             String... args) {
        return run(Clock.systemUTC(), env, stdin, outTerminal, errTerminal, args);
    }

    /** As {@link #run(String...)}, on {@code clock} (e.g. later than now, as a run made after a wait). */
    public static CliRun runAt(Clock clock, String... args) {
        return runAt(clock, TOKEN_ENV, "", args);
    }

    /** As {@link #run(Map, String, String...)}, on {@code clock} (e.g. later than now, as a run made after a wait). */
    public static CliRun runAt(Clock clock, Map<String, String> env, String stdin, String... args) {
        return run(clock, env, stdin, false, false, args);
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

    /**
     * As {@link #run(Map, String, String...)}, reading standard input from {@code in} (which may wait, as a person
     * does) and writing standard error to {@code err} as well (which may watch what is said while the run goes on).
     */
    public static CliRun run(Map<String, String> env, BufferedReader in, Writer err, String... args) {
        StringWriter out = new StringWriter();
        int code = Main.run(new Context(new PrintWriter(out), new PrintWriter(err), in, environment(env),
                Clock.systemUTC(), false, false, false), args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Never the developer's own ~/.huaweicloud/credentials: HOME points nowhere unless the test sets it. */
    private static Environment environment(Map<String, String> env) {
        return name -> name.equals("HOME") && !env.containsKey("HOME") ? NO_HOME : env.get(name);
    }

    /** certform started in a child JVM with {@link #TOKEN_ENV} (standard error merged into its output). */
    public static Process child(String... args) throws IOException {
        return childBuilder(args).start();
    }

    /**
     * certform in a child JVM with CERTFORM_CRASH_AT set, waited for: its exit code (137 when the crash point was
     * reached) and its output (standard error merged in; {@link #err()} is empty).
     */
    public static CliRun crashed(String crashAt, String... args) throws Exception {
        ProcessBuilder builder = childBuilder(args);
        builder.environment().put(CrashPoint.VARIABLE, crashAt);
        Process child = builder.start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!child.waitFor(90, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new AssertionError("child did not end: " + output);
        }
        return new CliRun(child.exitValue(), output, "");
    }

    /**
     * {@code apply --auto-approve -f manifest --parallelism 3} in a child JVM halted at {@code crashAt}; fails
     * unless the crash point was reached (exit code 137).
     */
    public static CliRun killedApply(Path manifest, String crashAt) throws Exception {
        CliRun killed = crashed(crashAt, "apply", "--auto-approve", "-f", manifest.toString(), "--parallelism", "3");
        if (killed.exitCode() != CrashPoint.STATUS) {
            throw new AssertionError("the crash point " + crashAt + " was not reached:\n" + killed);
        }
        return killed;
    }

    private static ProcessBuilder childBuilder(String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(TOKEN_ENV);
        builder.environment().put("HOME", NO_HOME);
        return builder;
    }

    public String all() {
        return out + err;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
