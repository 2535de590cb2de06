package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.testing.GatewayWorld;
import io.certform.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One cause, one message: a wrong IAM password, or a wrong instance id, stops every binding for one reason, and is
 * reported once with the bindings it stopped, not once per binding.
 */
class OneCauseOneMessageTest {

    private static final int N = 12;
    private static GatewayWorld.Builder world() {
        return GatewayWorld.of(N);
    }
    private static final TestCertificates.Issued CERT = TestCertificates.authority("Cause CA").issue("*.example.com");

    @TempDir
    Path dir;

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    private static Map<String, String> password(Simulator simulator, String password) {
        return Map.of("HW_USER_NAME", "deployer", "HW_PASSWORD", password, "HW_DOMAIN_NAME", "acme", "HW_AUTH_URL",
                simulator.baseUrl() + "/v3");
    }

    @Test
    void aWrongPasswordOrInstance_isReportedOnce_withTheBindingsItStopped() throws Exception {
        try (Simulator simulator = world().optionsAsGiven(SimulatorOptions.defaults()
                .withIamUsers(Map.of("acme/deployer", "right"), Duration.ofMinutes(25))).startSimulator()) {
            Path manifest = world().manifest(simulator.baseUrl()).write(dir, CERT);
            String f = manifest.toString();
            String refused = "refused the password of user 'deployer' in domain 'acme'";

            CliRun apply = CliRun.run(password(simulator, "nope"), "", "apply", "--auto-approve", "-f", f,
                    "--parallelism", "4");
            // the plan reads every declared domain's group first (a domain may carry its certificate already), so
            // the refusal stops the apply there: once, naming the bindings it stopped, before any write
            assertEquals(1, apply.exitCode(), apply.toString());
            assertEquals(1, count(apply.out() + apply.err(), refused), apply.toString());
            assertEquals(1, count(apply.out() + apply.err(), "HTTP 401"), "its status, once: " + apply);
            assertTrue(apply.err().contains("error: cannot look up the domains of " + N + " bindings (site["),
                    apply.toString());
            assertEquals(0, simulator.world().certificatesCreated(), "nothing was sent");

            assertEquals(0, CliRun.run(password(simulator, "right"), "", "apply", "--auto-approve", "-f", f)
                    .exitCode());
            CliRun refresh = CliRun.run(password(simulator, "nope"), "", "refresh", "-f", f);
            assertEquals(1, refresh.exitCode(), refresh.toString());
            assertEquals(1, count(refresh.err(), refused), refresh.toString());
            assertEquals(1, count(refresh.err(), ": error: "), refresh.toString());
            assertTrue(refresh.err().contains("error: cannot refresh " + N + " bindings (site[d0.example.com],"
                    + " site[d1.example.com], site[d10.example.com], site[d11.example.com], site[d2.example.com], and "
                    + (N - 5) + " more): "), refresh.toString());

            // domains named, not given by id, on an instance that does not exist: every look-up fails alike
            Path byName = world().manifest(simulator.baseUrl()).byName().write(dir.resolve("other"), CERT);
            Files.writeString(byName, Files.readString(byName).replace("instance_id: inst1", "instance_id: inst9"));
            CliRun plan = CliRun.run(password(simulator, "right"), "", "plan", "-f", byName.toString());
            assertEquals(1, plan.exitCode(), plan.toString());
            assertEquals(1, count(plan.err(), ": error: "), plan.toString());
            assertTrue(plan.err().contains("error: cannot look up the domains of " + N + " bindings (site[d0.example.com],"),
                    plan.toString());
            assertEquals(N, simulator.world().certificatesCreated());
        }
    }

    /**
     * Two API groups on the quickstart manifest (the quickstart's world: grp1 with api.shop.example.com and
     * www.shop.example.com, grp2 with status.example.com): a cause shared by both groups is still one message.
     */
    private QuickstartFixture twoGroups() throws Exception {
        return new QuickstartFixture(dir);
    }

    private static void edit(Path manifest, String from, String to) throws Exception {
        String text = Files.readString(manifest);
        assertTrue(text.contains(from), from);
        Files.writeString(manifest, text.replace(from, to));
    }

    @Test
    void aWrongInstance_overTwoApiGroups_isOneMessage() throws Exception {
        QuickstartFixture fixture = twoGroups();
        try (Simulator simulator = GatewayWorld.quickstart().optionsAsGiven(SimulatorOptions.defaults())
                .startSimulator()) {
            fixture.writeManifest(simulator.baseUrl(), "certs/status.crt", true);
            edit(fixture.manifest(), "instance_id: inst1", "instance_id: inst9");
            CliRun plan = CliRun.run(Map.of("STATUS_KEY", fixture.statusKey()), "", "plan", "--token", "t", "-f",
                    fixture.manifest().toString());
            assertEquals(1, plan.exitCode(), plan.toString());
            assertEquals(1, count(plan.err(), "the instance inst9 does not exist"), "one cause, one message:\n" + plan);
        }
    }

    @Test
    void aWrongPassword_overTwoApiGroups_isOneMessage() throws Exception {
        QuickstartFixture fixture = twoGroups();
        try (Simulator simulator = GatewayWorld.quickstart().optionsAsGiven(SimulatorOptions.defaults()
                .withIamUsers(Map.of("acme/deployer", "right"), Duration.ofMinutes(25))).startSimulator()) {
            fixture.writeManifest(simulator.baseUrl(), "certs/status.crt", true);
            Map<String, String> env = new HashMap<>(password(simulator, "nope"));
            env.put("STATUS_KEY", fixture.statusKey());
            CliRun plan = CliRun.run(env, "", "plan", "-f", fixture.manifest().toString());
            assertEquals(1, plan.exitCode(), plan.toString());
            assertEquals(1, count(plan.err(), "refused the password of user 'deployer'"),
                    "one cause, one message:\n" + plan);

            // the same in refresh, over the bindings the state records in both groups
            Map<String, String> right = new HashMap<>(password(simulator, "right"));
            right.put("STATUS_KEY", fixture.statusKey());
            CliRun apply = CliRun.run(right, "", "apply", "--auto-approve", "-f", fixture.manifest().toString());
            assertEquals(0, apply.exitCode(), apply.toString());
            CliRun refresh = CliRun.run(env, "", "refresh", "-f", fixture.manifest().toString());
            assertEquals(1, refresh.exitCode(), refresh.toString());
            assertEquals(1, count(refresh.err(), "refused the password of user 'deployer'"),
                    "one cause, one message:\n" + refresh);
        }
    }
}
