package io.certform.guarantees;

import io.certform.base.Environment;
import io.certform.cli.Context;
import io.certform.cli.Main;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs certform in-process (or in a child JVM, to crash it), with what it printed. */
record Cli(int exitCode, String out, String err) {

    static final Map<String, String> ENV = Map.of("CERTFORM_AUTH_TOKEN", "tok");

    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Environment environment = name -> name.equals("HOME") ? "/nonexistent/certform-test-home" : ENV.get(name);
        Context context = new Context(new PrintWriter(out), new PrintWriter(err),
                new BufferedReader(new StringReader("")), environment, Clock.systemUTC(), false, false, false);
        int code = Main.run(context, args);
        return new Cli(code, out.toString(), err.toString());
    }

    /** certform started in a child JVM (standard error merged into its output), for a test to talk to. */
    static Process child(String... args) throws java.io.IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(ENV);
        builder.environment().put("HOME", "/nonexistent/certform-test-home");
        return builder.start();
    }

    /** certform in a child JVM with CERTFORM_CRASH_AT set; its exit code (137 when the crash point was reached). */
    static Cli crashed(String crashAt, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(ENV);
        builder.environment().put("HOME", "/nonexistent/certform-test-home");
        builder.environment().put("CERTFORM_CRASH_AT", crashAt);
        Process child = builder.start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!child.waitFor(90, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new AssertionError("child did not end: " + output);
        }
        return new Cli(child.exitValue(), output, "");
    }

    String all() {
        return out + err;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
