package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.TlsFaults;
import io.certform.simulator.WorldFile;
import io.certform.testing.Pebble;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/acme-renewal runs as its README says, against pebble and the simulator (gateway, Huawei Cloud DNS, the
 * zone's name server, the TLS port) started from its world file: the wildcard is issued and attached to both
 * domains, a second plan has nothing to do, and a renewal (renew_before past the expiry) is rolled out in its two
 * waves with the TLS check. The ports the example names are replaced by free ones.
 */
class AcmeRenewalExampleTest {

    @TempDir
    Path dir;

    @Test
    void issuesTheWildcard_bindsItShared_thenRenewsItInVerifiedWaves() throws Exception {
        Pebble.assumeInstalled();
        Path example = dir.resolve("acme-renewal");
        copy(Path.of("..", "examples", "acme-renewal"), example);
        try (Simulator simulator = Simulator.start(WorldFile.read(example.resolve("gateway.world.yaml")),
                SimulatorOptions.defaults().withTokens(Set.of("tok")), 0)) {
            simulator.serveDns(0);
            simulator.serveTls(0, TlsFaults.none());
            try (Pebble pebble = Pebble.builder(simulator.dnsPort()).start(dir.resolve("pebble"))) {
                Files.writeString(example.resolve("pebble-tls-ca.pem"), pebble.trustPem());
                Files.writeString(example.resolve("pebble-root.pem"), pebble.rootPem(0));
                Path manifest = example.resolve("certform.yaml");
                String text = Files.readString(manifest).replace("http://127.0.0.1:18080", simulator.baseUrl())
                        .replace("127.0.0.1:15353", "127.0.0.1:" + simulator.dnsPort())
                        .replace("127.0.0.1:18443", "127.0.0.1:" + simulator.tlsPort());
                Files.writeString(manifest, text);
                Map<String, String> env = new HashMap<>(CliRun.TOKEN_ENV);
                env.put("ACME_DIRECTORY", pebble.directoryUrl());
                env.put("CERTFORM_KEYSTORE_PASSWORD", "a long random key store password");
                String f = manifest.toString();

                assertEquals(0, CliRun.run(env, "", "validate", "-f", f).exitCode());
                CliRun plan = CliRun.run(env, "", "plan", "--detailed-exitcode", "-f", f);
                assertEquals(2, plan.exitCode(), plan.toString());
                assertTrue(plan.out().contains("certificate wild will be issued (1 name, EC P-256)"), plan.out());
                CliRun apply = CliRun.run(env, "", "apply", "--auto-approve", "-f", f);
                assertEquals(0, apply.exitCode(), apply.toString());
                long attached = simulator.world().domains().stream().filter(d -> !d.attachedIds().isEmpty()).count();
                assertEquals(2, attached, "both domains carry the wildcard");
                assertEquals(0, CliRun.run(env, "", "plan", "--detailed-exitcode", "-f", f).exitCode());

                Files.writeString(manifest, text.replace("      names: [", "      renew_before: 3649d\n      names: ["));
                CliRun renew = CliRun.run(env, "", "apply", "--auto-approve", "-f", f);
                assertEquals(0, renew.exitCode(), renew.toString());
                assertTrue(renew.out().contains("Wave 2 of 2"), renew.out());
                assertTrue(simulator.world().managedCertificatesUpdated() + simulator.world()
                        .managedCertificatesCreated() >= 2, "the renewed certificate replaced the first");
            }
        }
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
