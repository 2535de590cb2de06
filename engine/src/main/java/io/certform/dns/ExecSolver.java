package io.certform.dns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * dns-01 through a command of the user's, for any other DNS (as lego's exec provider): the command (an argument
 * list, run without a shell) gets {@code present} or {@code cleanup} as its last argument and the record in
 * {@code CERTFORM_ACME_RECORD} ({@code _acme-challenge.example.com.}), the value in {@code CERTFORM_ACME_VALUE} and
 * the domain in {@code CERTFORM_ACME_DOMAIN}. Exit 0 is success; anything else fails with the tail of its standard
 * error. The wait asks the {@code resolvers} given, if any; without them the command is trusted to return once
 * the record is published.
 */
public final class ExecSolver implements Dns01Solver {

    private static final int TAIL = 2000;

    private final List<String> command;
    private final Duration timeout;
    private final List<String> resolvers;
    private final Duration poll;

    public ExecSolver(List<String> command, Duration timeout, List<String> resolvers, Duration poll) {
        if (command.isEmpty() || command.get(0).isBlank()) {
            throw new DnsException("the exec dns-01 hook names no command: give it as a list, e.g."
                    + " [./dns-hook.sh] (run without a shell)");
        }
        this.command = List.copyOf(command);
        this.timeout = timeout;
        this.resolvers = List.copyOf(resolvers);
        this.poll = poll;
    }

    @Override
    public Challenge present(String domain, String value) {
        Challenge challenge = new Challenge(domain, Dns01Solver.recordName(domain), value, null);
        run("present", challenge);
        return challenge;
    }

    @Override
    public void awaitVisible(Challenge challenge, Duration limit) {
        if (!resolvers.isEmpty()) {
            new AuthoritativeCheck(resolvers, poll, Duration.ofSeconds(5)).await(challenge.record(),
                    challenge.value(), limit);
        }
    }

    /** The {@code resolvers} given: without them the hook is trusted, and no name server is asked. */
    @Override
    public List<String> nameServers(Challenge challenge) {
        return resolvers;
    }

    @Override
    public void cleanup(Challenge challenge) {
        run("cleanup", challenge);
    }

    private void run(String action, Challenge challenge) {
        List<String> argv = new ArrayList<>(command);
        argv.add(action);
        String shown = String.join(" ", argv);
        Path stderr = null;
        try {
            stderr = Files.createTempFile("certform-dns-hook", ".err");
            ProcessBuilder builder = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(stderr.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File(
                            System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null")));
            Map<String, String> env = builder.environment();
            env.put("CERTFORM_ACME_ACTION", action);
            env.put("CERTFORM_ACME_DOMAIN", challenge.domain());
            env.put("CERTFORM_ACME_RECORD", challenge.record());
            env.put("CERTFORM_ACME_VALUE", challenge.value());
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new DnsException("the dns-01 hook '" + shown + "' for " + challenge.record() + " did not"
                        + " finish within " + (timeout.toMillis() < 1000 ? timeout.toMillis() + " ms"
                        : timeout.toSeconds() + " s") + " and was stopped" + tail(stderr)
                        + ": make it return once the record is " + (action.equals("present") ? "published" : "removed"));
            }
            if (process.exitValue() != 0) {
                throw new DnsException("the dns-01 hook '" + shown + "' for " + challenge.record() + " failed (exit "
                        + process.exitValue() + ")" + tail(stderr) + ": fix the hook or its DNS credentials,"
                        + " then run again");
            }
        } catch (IOException e) {
            throw new DnsException("cannot run the dns-01 hook '" + shown + "': " + e.getMessage()
                    + ": check that the command exists and is executable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DnsException("interrupted while the dns-01 hook '" + shown + "' ran");
        } finally {
            if (stderr != null) {
                try {
                    Files.deleteIfExists(stderr);
                } catch (IOException ignored) {
                    // a temporary file left behind: the system cleans its temporary folder
                }
            }
        }
    }

    /** The end of what the hook wrote to standard error, or nothing when it wrote nothing. */
    private static String tail(Path stderr) throws IOException {
        byte[] bytes = Files.readAllBytes(stderr);
        String text = new String(bytes, Math.max(0, bytes.length - TAIL), Math.min(bytes.length, TAIL),
                StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? " with nothing on standard error" : "; its standard error ends: " + text;
    }
}
