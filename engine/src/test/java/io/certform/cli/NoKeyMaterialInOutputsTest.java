package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.certform.simulator.Faults;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.testing.GatewayWorld;
import io.certform.testkit.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No key material (nor any PEM) in anything certform writes or sends (guarantee 5): an SM2 dual certificate in the
 * shared model (private_key and private_key_sign) beside a per-domain certificate with previous: material, through
 * plan -out, plan --json, apply --json with a rollout and --notify, a killed apply (journal on disk) and its
 * recovery.
 */
class NoKeyMaterialInOutputsTest {

    static final TestCertificates.Authority SM2_CA = TestCertificates.sm2Authority("Secrets test SM2 Root");
    static final TestCertificates.Issued ENC = SM2_CA.issueSm2("*.gm.example.com");
    static final TestCertificates.Issued SIGN = SM2_CA.issueSm2("*.gm.example.com");
    static final TestCertificates.Authority RSA_CA = TestCertificates.authority("Secrets test RSA Root");
    static final TestCertificates.Issued SHOP = RSA_CA.issue("*.shop.example.com");
    static final TestCertificates.Issued SHOP_OLD = RSA_CA.issue("*.shop.example.com");

    @TempDir
    Path dir;

    Simulator simulator() throws Exception {
        // six pairs: g<i> named api<i>.gm.example.com, then s<i> named api<i>.shop.example.com, in grp<i % 2>
        return GatewayWorld.of(12).groups(n -> "grp" + (n / 2 % 2)).ids(n -> (n % 2 == 0 ? "g" : "s") + n / 2)
                .names(n -> "api" + n / 2 + (n % 2 == 0 ? ".gm" : ".shop") + ".example.com")
                .options(SimulatorOptions.defaults().withSeed(9).withFaults(Faults.none())).startSimulator();
    }

    Path manifest(Simulator simulator) throws Exception {
        Path keys = Files.createDirectories(dir.resolve("keys"));
        Files.writeString(keys.resolve("enc.crt"), ENC.chainPem());
        Files.writeString(keys.resolve("enc.key"), ENC.privateKeyPem());
        Files.writeString(keys.resolve("sign.crt"), SIGN.chainPem());
        Files.writeString(keys.resolve("sign.key"), SIGN.privateKeyPem());
        Files.writeString(keys.resolve("shop.crt"), SHOP.chainPem());
        Files.writeString(keys.resolve("shop.key"), SHOP.privateKeyPem());
        Files.writeString(keys.resolve("old.crt"), SHOP_OLD.chainPem());
        Files.writeString(keys.resolve("old.key"), SHOP_OLD.privateKeyPem());
        Path work = Files.createDirectories(dir.resolve("work"));
        Path manifest = work.resolve("certform.yaml");
        Files.writeString(manifest, """
                version: 1
                provider: { endpoint: "%s", project_id: proj1, attach_chunk: 4 }
                defaults: { instance_id: inst1 }
                rollout:
                  waves: [1, "100%%"]
                  on_failure: rollback
                certificates:
                  gm:
                    name: gm_dual_cert
                    mode: shared
                    algorithm_type: SM2
                    cert_content: ${file:../keys/enc.crt}
                    private_key: ${file:../keys/enc.key}
                    cert_content_sign: ${file:../keys/sign.crt}
                    private_key_sign: ${file:../keys/sign.key}
                    domains:
                      - match: "*.gm.example.com"
                  shop:
                    name: shop_cert
                    cert_content: ${file:../keys/shop.crt}
                    private_key: ${file:../keys/shop.key}
                    previous: { cert_content: "${file:../keys/old.crt}", private_key: "${file:../keys/old.key}" }
                    domains:
                      - match: "*.shop.example.com"
                """.formatted(simulator.baseUrl()));
        return manifest;
    }

    /** Pieces of every private key that must never leave the keys folder. */
    static List<String> secrets() {
        List<String> out = new ArrayList<>(List.of("PRIVATE KEY", "BEGIN CERTIFICATE"));
        for (TestCertificates.Issued i : List.of(ENC, SIGN, SHOP, SHOP_OLD)) {
            String body = i.privateKeyPem().replaceAll("-----[^-]+-----", "").replaceAll("\\s", "");
            out.add(body.substring(body.length() / 2, body.length() / 2 + 24));
        }
        return out;
    }

    static void assertNoSecret(String where, String text) {
        for (String s : secrets()) {
            assertFalse(text.contains(s), where + " carries key material (" + s + ")");
        }
    }

    @Test
    void sm2DualShared_andPrevious_noKeyInPlanFileJsonJournalStateOrNotify() throws Exception {
        List<String> posted = Collections.synchronizedList(new ArrayList<>());
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", exchange -> {
            posted.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        hook.start();
        try (Simulator simulator = simulator()) {
            Path manifest = manifest(simulator);
            Path work = manifest.getParent();
            CliRun validate = CliRun.run("validate", "-f", manifest.toString());
            assertEquals(0, validate.exitCode(), validate.toString());
            CliRun saved = CliRun.run("plan", "-f", manifest.toString(), "-out",
                    work.resolve("tfplan").toString());
            assertTrue(saved.exitCode() == 0 || saved.exitCode() == 2, saved.toString());
            assertNoSecret("plan -out file", Files.readString(work.resolve("tfplan"), StandardCharsets.ISO_8859_1));
            assertNoSecret("plan output", saved.out() + saved.err());
            CliRun json = CliRun.run("plan", "-f", manifest.toString(), "--json");
            assertNoSecret("plan --json", json.out() + json.err());

            // killed mid-run: the journal on disk
            CliRun.killedApply(manifest, "after-intent:3");
            assertTrue(Files.exists(work.resolve("certform.state.json.journal")), "a journal was left");
            assertNoSecret("the journal", Files.readString(work.resolve("certform.state.json.journal"),
                    StandardCharsets.ISO_8859_1));

            CliRun apply = CliRun.run("apply", "-f", manifest.toString(), "--auto-approve", "--json",
                    "--settle-window", "1s", "--notify", "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook");
            assertEquals(0, apply.exitCode(), apply.toString());
            assertNoSecret("apply --json", apply.out() + apply.err());
            assertFalse(posted.isEmpty(), "the summary was posted");
            posted.forEach(body -> assertNoSecret("the --notify body", body));

            // rotate the RSA certificate back to 'previous' material: still nothing
            CliRun show = CliRun.run("show", "-f", manifest.toString(), "--json");
            assertNoSecret("show --json", show.out() + show.err());
            try (Stream<Path> files = Files.walk(work)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    if (!f.getFileName().toString().equals("certform.yaml")) {
                        assertNoSecret(f.toString(), Files.readString(f, StandardCharsets.ISO_8859_1));
                    }
                }
            } catch (UncheckedIOException | IOException e) {
                throw new AssertionError(e);
            }
        } finally {
            hook.stop(0);
        }
    }
}
