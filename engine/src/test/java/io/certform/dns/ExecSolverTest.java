package io.certform.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exec solver runs the user's hook, no shell in between, with the record and value in its environment. */
class ExecSolverTest {

    @TempDir
    Path dir;

    private Path script(String body) throws Exception {
        Path script = dir.resolve("hook.sh");
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    void presentAndCleanupRunTheHookWithTheRecordAndValue() throws Exception {
        Path log = dir.resolve("calls.log");
        Path hook = script("log=\"$1\"; shift\necho \"$1|$CERTFORM_ACME_ACTION|$CERTFORM_ACME_RECORD|"
                + "$CERTFORM_ACME_VALUE|$CERTFORM_ACME_DOMAIN\" >> \"$log\"\n");
        ExecSolver solver = new ExecSolver(List.of(hook.toString(), log.toString()), Duration.ofSeconds(10),
                List.of(), Duration.ofMillis(50));
        Dns01Solver.Challenge challenge = solver.present("*.Shop.example.com", "v a l;ue");
        assertEquals("_acme-challenge.shop.example.com.", challenge.record());
        solver.awaitVisible(challenge, Duration.ofSeconds(1)); // no resolvers: the hook is trusted
        solver.cleanup(challenge);
        assertEquals(List.of(
                "present|present|_acme-challenge.shop.example.com.|v a l;ue|*.Shop.example.com",
                "cleanup|cleanup|_acme-challenge.shop.example.com.|v a l;ue|*.Shop.example.com"),
                Files.readAllLines(log));
    }

    @Test
    void aFailingHookFailsWithTheTailOfItsStandardError() throws Exception {
        StringBuilder noise = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            noise.append("echo 'line ").append(i).append(" of noise' >&2\n");
        }
        Path hook = script(noise + "echo 'API said: zone example.com not found' >&2\nexit 3\n");
        ExecSolver solver = new ExecSolver(List.of(hook.toString()), Duration.ofSeconds(10), List.of(),
                Duration.ofMillis(50));
        DnsException e = assertThrows(DnsException.class, () -> solver.present("example.com", "v"));
        assertTrue(e.getMessage().startsWith("the dns-01 hook '" + hook + " present' for _acme-challenge.example.com."
                + " failed (exit 3); its standard error ends: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("API said: zone example.com not found: fix the hook or its DNS"
                + " credentials, then run again"), e.getMessage());
        assertTrue(!e.getMessage().contains("line 0 of noise") && e.getMessage().length() < 2400, e.getMessage());
    }

    @Test
    void aHookThatHangsIsStopped_andAMissingOneIsNamed() throws Exception {
        Path hook = script("sleep 30\n");
        ExecSolver slow = new ExecSolver(List.of(hook.toString()), Duration.ofMillis(300), List.of(),
                Duration.ofMillis(50));
        DnsException hung = assertThrows(DnsException.class, () -> slow.present("example.com", "v"));
        assertTrue(hung.getMessage().contains("did not finish within 300 ms and was stopped"), hung.getMessage());

        ExecSolver missing = new ExecSolver(List.of(dir.resolve("nope.sh").toString()), Duration.ofSeconds(5),
                List.of(), Duration.ofMillis(50));
        DnsException none = assertThrows(DnsException.class, () -> missing.cleanup(
                new Dns01Solver.Challenge("example.com", "_acme-challenge.example.com.", "v", null)));
        assertTrue(none.getMessage().startsWith("cannot run the dns-01 hook '" + dir.resolve("nope.sh")
                + " cleanup'") && none.getMessage().endsWith("check that the command exists and is executable"),
                none.getMessage());
    }
}
