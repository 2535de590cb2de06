package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.testing.GatewayWorld;
import io.certform.testing.Pebble;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * apply issues the manifest's ACME entries against pebble, through dns-01 records it creates in the simulator's
 * zones (which pebble asks the simulator's DNS server for), stores key and chain in the key store and binds them
 * through the normal models: a per-domain certificate and a shared wildcard on two domains. A second apply
 * changes nothing; a renewal (renew_before past the expiry) rotates every binding; no file certform wrote holds
 * the private key; the key store does not open without its password.
 */
class AcmeApplyPebbleTest {

    static final String PASSWORD = "a long random key store password";

    @TempDir
    Path dir;

    private GatewayWorld gateway;
    private Pebble pebble;

    @AfterEach
    void stop() {
        if (pebble != null) {
            pebble.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    /** The simulator (gateway, Huawei Cloud DNS API and DNS server for example.com.) and a pebble asking it. */
    void start(GatewayWorld.Builder world) throws Exception {
        Pebble.assumeInstalled();
        gateway = world.start();
        gateway.world().dns().addZone("example.com.");
        gateway.simulator().serveDns(0);
        pebble = Pebble.builder(gateway.simulator().dnsPort()).start(dir.resolve("pebble"));
        Files.writeString(dir.resolve("pebble-ca.pem"), pebble.trustPem());
    }

    static Map<String, String> env(String password) {
        Map<String, String> env = new HashMap<>(CliRun.TOKEN_ENV);
        env.put("CERTFORM_KEYSTORE_PASSWORD", password);
        return env;
    }

    String acme(String names, String renewBefore) {
        return "    acme:\n"
                + "      directory: " + pebble.directoryUrl() + "\n"
                + "      contact: [mailto:ops@example.com]\n"
                + "      names: " + names + "\n"
                + (renewBefore == null ? "" : "      renew_before: " + renewBefore + "\n")
                + "      ca_bundle: ${file:pebble-ca.pem}\n"
                + "      challenge: { dns: huaweicloud, resolvers: [\"127.0.0.1:" + gateway.simulator().dnsPort()
                + "\"] }\n";
    }

    /** A per-domain certificate on d0 and a shared wildcard on d1 and d2. */
    Path manifest(String renewBefore, String rollout) throws Exception {
        String text = "version: 1\n"
                + "provider: { endpoint: \"" + gateway.baseUrl() + "\", project_id: proj1 }\n"
                + "defaults: { instance_id: " + GatewayWorld.INSTANCE + " }\n"
                + (rollout == null ? "" : rollout)
                + "certificates:\n"
                + "  one:\n    name: acme_one\n" + acme("[d0.example.com]", renewBefore)
                + "    domains:\n      - { group_id: grp0, domain: d0.example.com }\n"
                + "  wild:\n    name: acme_wild\n    mode: shared\n" + acme("[\"*.example.com\"]", renewBefore)
                + "    domains:\n      - { group_id: grp0, domain: d1.example.com }\n"
                + "      - { group_id: grp0, domain: d2.example.com }\n"
                + "keystore:\n  password: ${env:CERTFORM_KEYSTORE_PASSWORD}\n";
        Path file = dir.resolve("certform.yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void issuesAndBinds_perDomainAndShared_thenNothingToDo_thenRenewsEveryBinding() throws Exception {
        start(GatewayWorld.of(3));
        String f = manifest(null, null).toString();

        CliRun plan = CliRun.run(env(PASSWORD), "", "plan", "--detailed-exitcode", "-f", f);
        assertEquals(2, plan.exitCode(), plan.toString());
        assertTrue(plan.out().contains("certificate one will be issued (1 name, EC P-256)"), plan.out());
        assertTrue(plan.out().contains("certificate wild will be issued (1 name, EC P-256)"), plan.out());

        CliRun apply = CliRun.run(env(PASSWORD), "", "apply", "--auto-approve", "-f", f);
        assertEquals(0, apply.exitCode(), apply.toString());
        assertTrue(apply.err().contains("certificate 'one' issued by") || apply.out().contains(
                "certificate 'one' issued by"), apply.toString());
        List<String> bound = boundSerials();
        assertEquals(3, bound.size(), "every domain carries its ACME certificate: " + bound);
        assertEquals(bound.get(1), bound.get(2), "the shared wildcard is one certificate on d1 and d2");
        assertNotEquals(bound.get(0), bound.get(1));
        assertEquals(List.of(), txtRecords(), "no challenge record is left");

        CliRun again = CliRun.run(env(PASSWORD), "", "plan", "--detailed-exitcode", "-f", f);
        assertEquals(0, again.exitCode(), "a second plan finds nothing to do: " + again);
        CliRun second = CliRun.run(env(PASSWORD), "", "apply", "--auto-approve", "-f", f);
        assertEquals(0, second.exitCode(), second.toString());
        assertEquals(bound, boundSerials(), "a second apply orders and binds nothing");

        // renewal: renew_before longer than the certificate's lifetime makes both due
        manifest("3600d", null);
        CliRun due = CliRun.run(env(PASSWORD), "", "plan", "--json", "-f", f);
        assertEquals(0, due.exitCode(), due.toString());
        JsonNode root = JsonMapper.builder().build().readTree(due.out());
        SchemaConformanceTest.assertConformsToPlanSchema(root);
        assertEquals("renew", root.path("issuance").get(0).path("action").asString(), due.out());
        assertTrue(root.path("issuance").get(0).path("reason").asString().matches(
                "expires in \\d+ days, renew_before 3600 days"), due.out());
        CliRun text = CliRun.run(env(PASSWORD), "", "plan", "-f", f);
        assertTrue(text.out().contains("certificate one will be renewed: expires in "), text.out());

        long sharedChanges = gateway.world().managedCertificatesUpdated()
                + gateway.world().managedCertificatesCreated();
        CliRun renew = CliRun.run(env(PASSWORD), "", "apply", "--auto-approve", "-f", f);
        assertEquals(0, renew.exitCode(), renew.toString());
        List<String> renewed = boundSerials();
        assertEquals(3, renewed.size(), renewed.toString());
        assertNotEquals(bound.get(0), renewed.get(0), "d0 carries the renewed certificate");
        assertTrue(gateway.world().managedCertificatesUpdated() + gateway.world().managedCertificatesCreated()
                > sharedChanges, "the shared wildcard was replaced by the renewed one");
        assertEquals(List.of(), txtRecords());

        CliRun saved = CliRun.run(env(PASSWORD), "", "plan", "-out", dir.resolve("saved.plan").toString(), "-f", f);
        assertEquals(0, saved.exitCode(), saved.toString());
        Files.writeString(dir.resolve("output.txt"), String.join("\n", plan.toString(), apply.toString(),
                again.toString(), second.toString(), due.toString(), text.toString(), renew.toString(),
                saved.toString()));
        assertNoPrivateKeyInAnyFileWritten();
        CliRun wrong = CliRun.run(env("not the password"), "", "plan", "-f", f);
        assertEquals(1, wrong.exitCode(), wrong.toString());
        assertTrue(wrong.err().contains("the key store does not open"), wrong.err());
        assertFalse(wrong.toString().contains("not the password") || wrong.toString().contains(PASSWORD),
                "no password in the output");
    }

    @Test
    void aRenewalWhoseTlsCheckFails_isRolledBackToThePreviousCertificate_inWaves() throws Exception {
        start(GatewayWorld.of(4).servingTls());
        Files.writeString(dir.resolve("roots.pem"), pebble.rootPem(0));
        String rollout = "rollout:\n  waves: [1, \"100%\"]\n  verify: tls\n  on_failure: rollback\n"
                + "  probe: { resolve: \"127.0.0.1:" + gateway.tlsPort() + "\", timeout: 2s, propagation: 1s,"
                + " roots: \"${file:roots.pem}\" }\n";
        String text = "version: 1\n"
                + "provider: { endpoint: \"" + gateway.baseUrl() + "\", project_id: proj1 }\n"
                + "defaults: { instance_id: " + GatewayWorld.INSTANCE + " }\n" + rollout
                + "certificates:\n  site:\n    name: acme_site\n" + acme("[\"*.example.com\"]", "RENEW")
                + "    domains:\n" + "      - { group_id: grp0, domain: d0.example.com }\n"
                + "      - { group_id: grp0, domain: d1.example.com }\n"
                + "      - { group_id: grp0, domain: d2.example.com }\n"
                + "      - { group_id: grp0, domain: d3.example.com }\n"
                + "keystore:\n  password: ${env:CERTFORM_KEYSTORE_PASSWORD}\n";
        Path file = dir.resolve("certform.yaml");
        Files.writeString(file, text.replace("      renew_before: RENEW\n", ""));
        String f = file.toString();
        CliRun first = CliRun.run(env(PASSWORD), "", "apply", "--auto-approve", "-f", f);
        assertEquals(0, first.exitCode(), first.toString());
        List<String> original = boundSerials();
        assertEquals(4, original.size(), original.toString());
        assertEquals(1, original.stream().distinct().count(), original.toString());

        gateway.simulator().tlsFaults(new io.certform.simulator.TlsFaults(0, List.of("d2.example.com")));
        Files.writeString(file, text.replace("RENEW", "3600d"));
        CliRun renew = CliRun.run(env(PASSWORD), "", "apply", "--auto-approve", "-f", f);
        assertEquals(1, renew.exitCode(), renew.toString());
        assertTrue(renew.out().contains("Wave 1 of 2"), renew.out());
        assertTrue(renew.out().contains("stopped: wave 2"), renew.out());
        assertEquals(original, boundSerials(), "every domain carries the previous, still valid certificate again");
        gateway.simulator().tlsFaults(io.certform.simulator.TlsFaults.none());
    }

    /** The serial bound to each of d0, d1, d2 (by the simulator's view of the domains), in order. */
    List<String> boundSerials() {
        List<String> out = new ArrayList<>();
        for (var d : gateway.world().domains()) {
            if (d.sslId() != null) {
                out.add("serial " + d.serialNumber());
            } else if (!d.attachedIds().isEmpty()) {
                out.add("attached " + d.attachedIds());
            }
        }
        return out;
    }

    List<String> txtRecords() {
        List<String> out = new ArrayList<>();
        gateway.world().dns().recordSets(null, null, "TXT").forEach(r -> out.add(r.name() + " " + r.records()));
        return out;
    }

    /**
     * Every file in the folder certform worked in (state, history, journal, issuance journal, key store, world)
     * holds none of the issued private keys' bytes: DER, base64 or PEM.
     */
    void assertNoPrivateKeyInAnyFileWritten() throws Exception {
        Path keystore;
        try (Stream<Path> walk = Files.walk(dir)) {
            keystore = walk.filter(p -> p.getFileName().toString().endsWith(".keystore.p12")).findFirst()
                    .orElseThrow(() -> new AssertionError("no key store in " + dir));
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        List<byte[]> needles = new ArrayList<>();
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                byte[] der = store.getKey(alias, PASSWORD.toCharArray()).getEncoded();
                needles.add(der);
                String b64 = Base64.getEncoder().encodeToString(der);
                needles.add(b64.substring(0, 48).getBytes(StandardCharsets.US_ASCII));
                needles.add(Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der).substring(10, 60)
                        .getBytes(StandardCharsets.US_ASCII));
            }
        }
        assertTrue(needles.size() >= 6, "the key store holds the keys: " + needles.size());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).filter(p -> !p.startsWith(dir.resolve("pebble"))).toList();
        }
        assertTrue(files.stream().anyMatch(p -> p.getFileName().toString().endsWith(".issuance.json")),
                "the issuance journal was written: " + files);
        for (Path p : files) {
            byte[] bytes = Files.readAllBytes(p);
            if (p.getFileName().toString().endsWith(".p12")) {
                continue; // the key store: encrypted (PBES2/AES-256), opened above only with the password
            }
            for (byte[] needle : needles) {
                assertFalse(indexOf(bytes, needle) >= 0, p + " holds private key material");
            }
            assertFalse(new String(bytes, StandardCharsets.ISO_8859_1).contains("PRIVATE KEY"), p.toString());
        }
        byte[] p12 = Files.readAllBytes(keystore);
        for (byte[] needle : needles) {
            assertFalse(indexOf(p12, needle) >= 0, "the key store holds no key in the clear");
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
