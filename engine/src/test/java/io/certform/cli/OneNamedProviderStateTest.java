package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * State format 3, per provider: a manifest whose one provider is named (no {@code default}) records its bindings
 * under {@code provider.NAME.}, and its next run reads that state as its own, not as a state of a provider the
 * manifest does not name.
 */
class OneNamedProviderStateTest {

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();

    private String manifest(String providers) throws IOException {
        KeyPair keys = TestCertificates.rsa(2048);
        Instant now = Instant.now();
        TestCertificates.Issued issued = TestCertificates.selfSigned(keys, now.minus(1, ChronoUnit.DAYS),
                now.plus(200, ChronoUnit.DAYS), "a.example.com");
        Files.writeString(dir.resolve("a.crt"), TestCertificates.pem(issued.certificate()));
        env.put("A_KEY", TestCertificates.pem(keys.getPrivate()));
        Files.writeString(dir.resolve("certform.yaml"), String.join("\n",
                "version: 1",
                providers,
                "defaults: { instance_id: inst1, group_id: g1 }",
                "certificates:",
                "  site:",
                "    name: site_2026",
                "    cert_content: ${file:a.crt}",
                "    private_key: ${env:A_KEY}",
                "    domains:",
                "      - { domain: a.example.com }") + "\n");
        return dir.resolve("certform.yaml").toString();
    }

    @Test
    void aManifestOfOneNamedProvider_usesItsOwnStateOnTheNextRun() throws IOException {
        String manifest = manifest("providers:\n  eu: { endpoint: embedded }");
        CliRun apply = CliRun.run(env, "", "apply", "--auto-approve", "-f", manifest);
        assertEquals(0, apply.exitCode(), apply.toString());
        assertTrue(apply.out().contains("provider.eu.site[a.example.com]"), apply.out());
        CliRun plan = CliRun.run(env, "", "plan", "-f", manifest);
        assertEquals(0, plan.exitCode(), plan.toString());
        CliRun again = CliRun.run(env, "", "apply", "--auto-approve", "-f", manifest);
        assertEquals(0, again.exitCode(), again.toString());
    }

    /**
     * The selection rule: a binding on provider eu goes to eu's gateway, also when the manifest declares a default
     * provider too (one the bindings do not use); the state records eu's gateway for it, not the default's.
     */
    @Test
    void theBindingsOfANamedProvider_goToItsGateway_whenADefaultIsDeclaredToo() throws IOException {
        String manifest = manifest(String.join("\n",
                "provider: { endpoint: embedded, project_id: proj-default }",
                "providers:",
                "  eu: { endpoint: embedded, project_id: proj-eu }"));
        Files.writeString(Path.of(manifest), Files.readString(Path.of(manifest))
                .replace("defaults: { instance_id", "defaults: { provider: eu, instance_id"));
        CliRun apply = CliRun.run(env, "", "apply", "--auto-approve", "-f", manifest);
        assertEquals(0, apply.exitCode(), apply.toString());
        assertTrue(apply.out().contains("provider.eu.site[a.example.com]"), apply.out());
        String state = Files.readString(dir.resolve("certform.state.json"));
        assertTrue(state.contains("proj-eu"), "eu's gateway recorded: " + state);
        // every provider of the fleet has its gateway recorded, but only eu's simulator was written to
        try (java.util.stream.Stream<Path> files = Files.list(dir.resolve(".certform"))) {
            List<String> worlds = files.map(f -> f.getFileName().toString()).filter(n -> n.contains("world")).toList();
            assertTrue(worlds.stream().anyMatch(w -> w.contains("-eu")), "eu's world is saved: " + worlds);
            for (String world : worlds) {
                String text = Files.readString(dir.resolve(".certform").resolve(world));
                assertEquals(world.contains("-eu"), text.contains("ssl_id") || text.contains("certificates\":[{"),
                        world + " carries the binding only when it is eu's: " + text.substring(0, Math.min(600, text.length())));
            }
        }
    }

    /** A saved plan of a named provider's bindings is applied as any other: planned on the state its apply reads. */
    @Test
    void aSavedPlanOfANamedProvider_isApplied() throws IOException {
        String manifest = manifest("providers:\n  eu: { endpoint: embedded }");
        String plan = dir.resolve("eu.plan").toString();
        CliRun saved = CliRun.run(env, "", "plan", "-out", plan, "-f", manifest);
        assertEquals(0, saved.exitCode(), saved.toString());
        CliRun apply = CliRun.run(env, "", "apply", "-f", manifest, plan);
        assertEquals(0, apply.exitCode(), apply.toString());
        CliRun second = CliRun.run(env, "", "plan", "-out", plan, "-f", manifest);
        assertEquals(0, second.exitCode(), second.toString());
        CliRun again = CliRun.run(env, "", "apply", "-f", manifest, plan);
        assertEquals(0, again.exitCode(), again.toString());
    }
}
