package io.certform.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.Secret;
import io.certform.cli.CliRun;
import io.certform.keystore.IssuedKeys;
import io.certform.keystore.local.LocalKeyStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * certform apply killed (kill -9 equivalent: a child JVM halted by CERTFORM_CRASH_AT) at each step of issuance, then
 * run again plainly: the rerun resumes the recorded order (one order in all for the account), leaves no challenge
 * record in the zone, and binds the certificate.
 */
class AcmeApplyResumePebbleTest {

    static final String PASSWORD = "a long random key store password";
    static final List<String> POINTS = List.of("acme-order-recorded", "acme-challenge-presenting",
            "acme-challenge-visible", "acme-challenge-cleaned", "acme-finalized", "acme-key-stored");

    @TempDir
    Path dir;

    @Test
    void killedAtEachStepOfIssuance_aPlainRerunOrdersOnce_andLeavesNoChallengeRecord() throws Exception {
        try (AcmePebbleFixture f = AcmePebbleFixture.start(dir, b -> b)) {
            Files.writeString(dir.resolve("pebble-ca.pem"), f.pebble.trustPem());
            Map<String, String> env = Map.of("CERTFORM_AUTH_TOKEN", AcmePebbleFixture.TOKEN,
                    "CERTFORM_KEYSTORE_PASSWORD", PASSWORD);
            for (int i = 0; i < POINTS.size(); i++) {
                String point = POINTS.get(i);
                String name = "k" + i + ".example.com";
                f.world.addDomain("inst1", "grp" + i, "dom" + i, name);
                Path run = Files.createDirectories(dir.resolve("run" + i));
                Files.copy(dir.resolve("pebble-ca.pem"), run.resolve("pebble-ca.pem"));
                Path manifest = run.resolve("certform.yaml");
                Files.writeString(manifest, "version: 1\n"
                        + "provider: { endpoint: \"" + f.simulator.baseUrl() + "\", project_id: proj1 }\n"
                        + "defaults: { instance_id: inst1 }\n"
                        + "certificates:\n  site:\n    name: acme_site\n    acme:\n"
                        + "      directory: " + f.pebble.directoryUrl() + "\n"
                        + "      names: [" + name + "]\n"
                        + "      ca_bundle: ${file:pebble-ca.pem}\n"
                        + "      challenge: { dns: huaweicloud, resolvers: [\"" + f.resolver() + "\"] }\n"
                        + "    domains:\n      - { group_id: grp" + i + ", domain: " + name + " }\n"
                        + "keystore:\n  password: ${env:CERTFORM_KEYSTORE_PASSWORD}\n");

                CliRun killed = CliRun.crashed(point, env, "apply", "--auto-approve", "-f", manifest.toString());
                assertEquals(137, killed.exitCode(), point + " was reached: " + killed);

                CliRun rerun = CliRun.run(env, "", "apply", "--auto-approve", "-f", manifest.toString());
                assertEquals(0, rerun.exitCode(), "after a kill at " + point + ": " + rerun);
                assertEquals(List.of(), f.txtRecords(), "no challenge record left after a kill at " + point);
                String bound = f.world.domains().stream().filter(d -> d.urlDomain().equals(name))
                        .map(d -> d.sslId()).findFirst().orElse(null);
                assertTrue(bound != null, name + " carries the certificate after a kill at " + point);

                IssuedKeys keys = IssuedKeys.load(new LocalKeyStorage(keystore(run)),
                        new Secret(PASSWORD, "test", null));
                assertEquals(1, f.orders(f.request(KeyType.EC256, name), keys.account(f.pebble.directoryUrl())
                        .orElseThrow()), "one order in all after a kill at " + point);
                CliRun again = CliRun.run(env, "", "plan", "--detailed-exitcode", "-f", manifest.toString());
                assertEquals(0, again.exitCode(), "nothing left to do after a kill at " + point + ": " + again);
            }
        }
    }

    static Path keystore(Path run) throws Exception {
        try (Stream<Path> walk = Files.walk(run)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".keystore.p12")).findFirst().orElseThrow();
        }
    }
}
