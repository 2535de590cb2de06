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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The one runner of the CLI in tests, and what a run printed: in-process ({@link #runner()}, the usual way; the
 * static shortcuts below are uses of it), or in a child JVM (to kill it at a crash point, or to hold a lock while
 * the test runs another). Never the developer's own ~/.huaweicloud/credentials: HOME points nowhere unless the test
 * sets it.
 */
public record CliRun(int exitCode, String out, String err) {

    /** The environment of a run against a simulator that accepts the token "tok". */
    public static final Map<String, String> TOKEN_ENV = Map.of("CERTFORM_AUTH_TOKEN", "tok");

    private static final String NO_HOME = "/nonexistent/certform-test-home";

    /** A run to shape: by default {@link #TOKEN_ENV}, nothing on standard input, no terminal, the system clock. */
    public static Runner runner() {
        return new Runner();
    }

    /** In-process, with {@link #TOKEN_ENV} and nothing on standard input. */
    public static CliRun run(String... args) {
        return runner().run(args);
    }

    public static CliRun run(Map<String, String> env, String stdin, String... args) {
        return runner().env(env).stdin(stdin).run(args);
    }

    /** As {@link #run(Map, String, String...)}, with standard output and standard error terminals or not. */
    public static CliRun run(Map<String, String> env, String stdin, boolean outTerminal, boolean errTerminal,
                             String... args) {
        return runner().env(env).stdin(stdin).terminals(outTerminal, errTerminal).run(args);
    }

    /** As {@link #run(String...)}, on {@code clock} (e.g. later than now, as a run made after a wait). */
    public static CliRun runAt(Clock clock, String... args) {
        return runner().clock(clock).run(args);
    }

    /** As {@link #run(Map, String, String...)}, on {@code clock} (e.g. later than now, as a run made after a wait). */
    public static CliRun runAt(Clock clock, Map<String, String> env, String stdin, String... args) {
        return runner().env(env).stdin(stdin).clock(clock).run(args);
    }

    /**
     * As {@link #run(Map, String, String...)}, reading standard input from {@code in} (which may wait, as a person
     * does) and writing standard error to {@code err} as well (which may watch what is said while the run goes on).
     */
    public static CliRun run(Map<String, String> env, BufferedReader in, Writer err, String... args) {
        return runner().env(env).stdin(in).errTo(err).run(args);
    }

    /**
     * One in-process run of certform as a test shapes it: its environment (nothing of the test's own process), its
     * working directory (given to certform as {@code -chdir=DIR}, the one way an in-process run can have one: every
     * relative path it reads is read from there), standard input, the clock, and whether its streams are terminals.
     */
    public static final class Runner {
        private final Map<String, String> env = new HashMap<>(TOKEN_ENV);
        private BufferedReader in = new BufferedReader(new StringReader(""));
        private Writer errCopy;
        private Path workingDirectory;
        private Clock clock = Clock.systemUTC();
        private boolean outTerminal;
        private boolean errTerminal;

        private Runner() {
        }

        /** The whole environment of the run, in place of {@link #TOKEN_ENV}. */
        public Runner env(Map<String, String> variables) {
            env.clear();
            env.putAll(variables);
            return this;
        }

        /** One more variable (or another value for one). */
        public Runner env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** What the run reads on standard input. */
        public Runner stdin(String text) {
            this.in = new BufferedReader(new StringReader(text));
            return this;
        }

        /** Standard input read from {@code reader}, which may wait, as a person does. */
        public Runner stdin(BufferedReader reader) {
            this.in = reader;
            return this;
        }

        /** Standard error written to {@code copy} as well, as it is said (it is still in {@link CliRun#err()}). */
        public Runner errTo(Writer copy) {
            this.errCopy = copy;
            return this;
        }

        /** The folder the run starts in: {@code certform -chdir=DIR ...}. */
        public Runner in(Path folder) {
            this.workingDirectory = folder;
            return this;
        }

        public Runner clock(Clock runClock) {
            this.clock = runClock;
            return this;
        }

        /** Whether standard output and standard error are terminals (colour then). */
        public Runner terminals(boolean out, boolean err) {
            this.outTerminal = out;
            this.errTerminal = err;
            return this;
        }

        /** Runs {@code certform args...} in-process and returns its exit code and what it printed. */
        public CliRun run(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            Writer errSink = errCopy == null ? err : new Tee(err, errCopy);
            Map<String, String> variables = new HashMap<>(env); // a copy: the runner may be used again
            Environment environment = name -> name.equals("HOME") && !variables.containsKey("HOME") ? NO_HOME
                    : variables.get(name);
            Context context = new Context(new PrintWriter(out), new PrintWriter(errSink), in, environment, clock,
                    outTerminal, errTerminal, false);
            int code = Main.run(context, withWorkingDirectory(args));
            return new CliRun(code, out.toString(), err.toString());
        }

        private String[] withWorkingDirectory(String[] args) {
            if (workingDirectory == null) {
                return args;
            }
            String[] all = new String[args.length + 1];
            all[0] = "-chdir=" + workingDirectory;
            System.arraycopy(args, 0, all, 1, args.length);
            return all;
        }
    }

    /** Writes to two writers: the run's captured standard error and the test's own watcher. */
    private static final class Tee extends Writer {
        private final Writer first;
        private final Writer second;

        Tee(Writer first, Writer second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(char[] buffer, int offset, int length) throws IOException {
            first.write(buffer, offset, length);
            second.write(buffer, offset, length);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
            second.flush();
        }

        @Override
        public void close() throws IOException {
            flush();
        }
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
        return crashed(Map.of(), crashAt, args);
    }

    /** {@link #crashed(String, String...)} with {@code env} added to the child's environment. */
    public static CliRun crashed(Map<String, String> env, String crashAt, String... args) throws Exception {
        ProcessBuilder builder = childBuilder(args);
        builder.environment().putAll(env);
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
