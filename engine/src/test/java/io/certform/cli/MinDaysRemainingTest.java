package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * min_days_remaining applies to what a run would send: a certificate that is bound already and unchanged, but inside
 * its min_days_remaining, is a loud warning and blocks no other change (with or without --target); sending it
 * anywhere (a new domain) is an error naming the changes that would send it.
 */
class MinDaysRemainingTest {

    @TempDir
    java.nio.file.Path dir;

    @Test
    void boundCertificateInsideMinDays_warnsAndBlocksNoOtherChange_butIsNeverSentAnywhereNew() throws Exception {
        QuickstartFixture fixture = new QuickstartFixture(dir);
        Map<String, String> env = new HashMap<>(Map.of("STATUS_KEY", fixture.statusKey()));
        String manifest = fixture.manifest().toString();
        fixture.writeManifest("embedded", "certs/status.crt", false);
        CliRun first = CliRun.run(env, "", "apply", "--auto-approve", "-f", manifest);
        assertEquals(0, first.exitCode(), first.toString());

        // 360 days on: shop's certificate (365 days) has 4 days left, less than the default min_days_remaining (7)
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofDays(360));
        fixture.writeManifest("embedded", "certs/status-renewed.crt", false);

        CliRun plan = CliRun.runAt(later, env, "", "plan", "-f", manifest);
        assertEquals(0, plan.exitCode(), "the renewal of status must not be blocked by shop: " + plan);
        assertTrue(plan.out().contains(" 1 to change, 0 to destroy."), plan.toString());
        assertTrue(plan.err().contains("warning: certificate 'shop': the certificate expires on"), plan.toString());
        assertTrue(plan.err().contains("less than min_days_remaining (7); it stays bound as it is, and this run sends"
                + " nothing of it"), plan.toString());

        CliRun targeted = CliRun.runAt(later, env, "", "plan", "--target", "status", "-f", manifest);
        assertEquals(0, targeted.exitCode(), targeted.toString());
        assertTrue(targeted.err().contains("it stays bound as it is"), targeted.toString());

        CliRun apply = CliRun.runAt(later, env, "", "apply", "--auto-approve", "-f", manifest);
        assertEquals(0, apply.exitCode(), apply.toString());
        assertTrue(apply.err().contains("it stays bound as it is"), apply.toString());

        // binding it to one more domain would send it: refused, naming what would send it, nothing sent
        fixture.writeManifest("embedded", "certs/status-renewed.crt", true);
        CliRun more = CliRun.runAt(later, env, "", "apply", "--auto-approve", "-f", manifest);
        assertEquals(1, more.exitCode(), more.toString());
        assertTrue(more.err().contains("error: certificate 'shop': the certificate expires on"), more.toString());
        assertTrue(more.err().contains("This run would send it: shop[www.shop.example.com] (create)."),
                more.toString());
        assertFalse(more.out().contains("Apply complete"), more.toString());
        CliRun again = CliRun.runAt(later, env, "", "plan", "--detailed-exitcode", "-f", manifest);
        assertEquals(1, again.exitCode(), "still refused, nothing was bound: " + again);

        CliRun excluded = CliRun.runAt(later, env, "", "plan", "--exclude", "shop", "-f", manifest);
        assertEquals(0, excluded.exitCode(), excluded.toString());

        // a plan saved while it had days to spare is not applied once it has too few
        String saved = dir.resolve("more.plan").toString();
        CliRun planned = CliRun.run(env, "", "plan", "-out", saved, "-f", manifest);
        assertEquals(0, planned.exitCode(), planned.toString());
        CliRun late = CliRun.runAt(later, env, "", "apply", saved, "-f", manifest);
        assertEquals(1, late.exitCode(), late.toString());
        assertTrue(late.err().contains("Saved plan cannot be applied: certificate 'shop': the certificate expires on"),
                late.toString());
        assertTrue(late.err().contains("This run would send it: shop[www.shop.example.com] (create)."), late.toString());

        CliRun validate = CliRun.runAt(later, env, "", "validate", "-f", manifest);
        assertEquals(0, validate.exitCode(), "validate cannot know what a plan sends: " + validate);
        assertTrue(validate.err().contains("warning: certificate 'shop': the certificate expires on"),
                validate.toString());
        assertTrue(validate.err().contains("plan and apply refuse to upload or bind it"), validate.toString());
    }

    @Test
    void boundCertificateExpired_warnsAndBlocksNoOtherChange_evenWithTarget() throws Exception {
        QuickstartFixture fixture = new QuickstartFixture(dir);
        Map<String, String> env = new HashMap<>(Map.of("STATUS_KEY", fixture.statusKey()));
        String manifest = fixture.manifest().toString();
        fixture.writeManifest("embedded", "certs/status.crt", false);
        assertEquals(0, CliRun.run(env, "", "apply", "--auto-approve", "-f", manifest).exitCode());

        // 370 days on: shop's certificate (365 days) expired 5 days ago; status (400 days) is renewed
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofDays(370));
        fixture.writeManifest("embedded", "certs/status-renewed.crt", false);
        CliRun targeted = CliRun.runAt(later, env, "", "plan", "--target", "status", "-f", manifest);
        assertEquals(0, targeted.exitCode(), "the renewal of status must not be blocked by shop: " + targeted);
        assertTrue(targeted.out().contains(" 1 to change, 0 to destroy."), targeted.toString());
        assertTrue(targeted.err().contains("warning: certificate 'shop'"), targeted.toString());
        assertTrue(targeted.err().contains("it stays bound as it is"), targeted.toString());

        CliRun plan = CliRun.runAt(later, env, "", "plan", "-f", manifest);
        assertEquals(0, plan.exitCode(), plan.toString());
        assertTrue(plan.out().contains(" 1 to change, 0 to destroy."), plan.toString());

        CliRun apply = CliRun.runAt(later, env, "", "apply", "--auto-approve", "-f", manifest);
        assertEquals(0, apply.exitCode(), apply.toString());

        // binding it to one more domain would send an expired certificate: refused, nothing sent
        fixture.writeManifest("embedded", "certs/status-renewed.crt", true);
        CliRun more = CliRun.runAt(later, env, "", "apply", "--auto-approve", "-f", manifest);
        assertEquals(1, more.exitCode(), more.toString());
        assertTrue(more.err().contains("error: certificate 'shop'"), more.toString());
        assertTrue(more.err().contains("This run would send it: shop[www.shop.example.com] (create)."),
                more.toString());
        assertFalse(more.out().contains("Apply complete"), more.toString());
    }
}
