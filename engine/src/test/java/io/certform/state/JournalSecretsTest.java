package io.certform.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.CrashPoint;
import io.certform.cli.Context;
import io.certform.cli.Main;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.World;
import io.certform.testkit.TestCertificates;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a journal line may hold, field by field, in records built by hand and in the records real applies write (both
 * certificate models, every call they make). A field added to a record or to {@link ResourceState} (a PEM, a key)
 * fails here until it is reviewed and listed.
 */
class JournalSecretsTest {

    private static final Set<String> BINDING = Set.of("address", "certificate", "instance_id", "group_id", "domain_id",
            "url_domain", "ssl_id", "ssl_name", "type", "certificate_instance_id", "algorithm_type", "cert_sha256",
            "chain_sha256", "trusted_root_ca_sha256", "serial_number", "not_after", "issuer",
            "san", "public_key_sha256", "bound_at");

    /** Written too, where set: the model of a shared attachment or certificate, when a binding's check passed. */
    private static final Set<String> BINDING_WHEN_SET = Set.of("model", "verified_at");

    private static final ResourceState FULL = new ResourceState("c[a]", "c", "i", "g", "d", "a.example.com", "ssl",
            "name", "instance", "ci", "RSA", "sha", "chain", "root", "5a", "2031-01-01T00:00:00Z", "CA");

    /** Every field name in the line, nested ones as parent.child. */
    private static Set<String> fields(JournalRecord record) {
        JsonNode line = JsonMapper.builder().build().readTree(new String(JournalCodec.encode(record),
                StandardCharsets.UTF_8));
        Set<String> names = new TreeSet<>();
        collect("", line, names);
        return names;
    }

    private static void collect(String prefix, JsonNode node, Set<String> names) {
        for (Iterator<String> it = node.propertyNames().iterator(); it.hasNext(); ) {
            String name = it.next();
            JsonNode value = node.get(name);
            names.add(prefix + name);
            if (value.isObject()) {
                collect(prefix + name + ".", value, names);
            } else {
                assertFalse(value.asString("").contains("-----BEGIN"), name + " holds PEM");
            }
        }
    }

    private static Set<String> expected(List<String> top, String nested) {
        Set<String> names = new TreeSet<>(top);
        if (nested != null) {
            names.add(nested);
            BINDING.forEach(b -> names.add(nested + "." + b));
        }
        return names;
    }

    @Test
    void everyRecordType_writesOnlyTheListedFields() {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        assertEquals(expected(List.of("kind", "op", "address", "old_ssl_id", "at"), "planned"),
                fields(JournalRecord.Intent.bind(FULL, "old", at)));
        assertEquals(expected(List.of("kind", "op", "address", "old_ssl_id", "at"), "planned"),
                fields(JournalRecord.Intent.unbind(FULL, at)));
        assertEquals(expected(List.of("kind", "op", "address"), "resource"), fields(JournalRecord.Done.bound(FULL)));
        assertEquals(expected(List.of("kind", "op", "address"), null), fields(JournalRecord.Done.unbound("c[a]")));
        assertEquals(expected(List.of("kind", "address"), null), fields(new JournalRecord.Voided("c[a]")));
    }

    private static final TestCertificates.Authority CA = TestCertificates.authority("Journal CA");
    private static final TestCertificates.Issued FIRST = CA.issue("*.example.com");
    private static final TestCertificates.Issued SECOND = CA.issue("*.example.com");

    @TempDir
    Path dir;

    /**
     * Applies that bind, attach, rotate (a bind again; an update in place of the shared certificate), and remove
     * (unbind, detach, delete the shared certificate), and runs killed after a call then recovered by the next,
     * with the journal read at every write the gateway commits and after each kill: no line of it holds a private
     * key, a PEM or a field not listed.
     */
    @Test
    void theRecordsRealAppliesAndARecoveryWrite_bothModels_holdNoKeyNoPem_andOnlyTheListedFields() throws Exception {
        World world = new World();
        for (int i = 0; i < 4; i++) {
            world.addDomain("inst1", "grp0", "dom" + i, "d" + i + ".example.com");
        }
        Path journal = dir.resolve("certform.state.json.journal");
        Set<String> lines = ConcurrentHashMap.newKeySet();
        try (Simulator simulator = Simulator.start(world, SimulatorOptions.defaults().withTokens(Set.of("tok")), 0)) {
            simulator.world().onCommit(view -> lines.addAll(completeLines(journal)));
            apply(simulator, FIRST, "[dom0, dom1]", "[dom2, dom3]");
            apply(simulator, SECOND, "[dom0, dom1]", "[dom2, dom3]");
            apply(simulator, SECOND, "[dom0]", "[dom2]");
            // runs killed after a call leave their journal, which the next apply settles (recovery) before going
            // on: one killed after its fourth call (an unbind and a bind, a detach, then the certificate's delete),
            // one after its second (a create, then the attach)
            killedApply(simulator, SECOND, "[dom1]", null, 4);
            lines.addAll(journalLeft(journal));
            apply(simulator, SECOND, "[dom1]", null);
            killedApply(simulator, FIRST, "[dom0, dom1]", "[dom2, dom3]", 2);
            lines.addAll(journalLeft(journal));
            apply(simulator, FIRST, "[dom0, dom1]", "[dom2, dom3]");
        }
        Set<String> ops = new TreeSet<>();
        Set<String> kinds = new TreeSet<>();
        Set<String> allowed = new TreeSet<>(expected(List.of("kind", "op", "address", "old_ssl_id", "at"), "planned"));
        allowed.addAll(expected(List.of(), "resource"));
        for (String nested : List.of("planned", "resource")) {
            BINDING_WHEN_SET.forEach(b -> allowed.add(nested + "." + b));
        }
        for (String line : lines) {
            JsonNode node = JsonMapper.builder().build().readTree(line);
            String which = node.path("kind").asString("") + " " + node.path("op").asString("") + " "
                    + node.path("address").asString(""); // the line itself is not shown: it may hold the key
            for (TestCertificates.Issued cert : List.of(FIRST, SECOND)) {
                assertFalse(line.contains(body(cert.privateKeyPem())), "a journal line holds a private key: " + which);
                assertFalse(line.contains(body(cert.certificatePem())), "a journal line holds a PEM body: " + which);
            }
            assertFalse(line.contains("-----BEGIN"), "a journal line holds PEM: " + which);
            Set<String> names = new TreeSet<>();
            collect("", node, names);
            names.removeAll(allowed);
            assertEquals(Set.of(), names, "fields not listed, in " + line);
            kinds.add(node.path("kind").asString(""));
            ops.add(node.path("kind").asString("") + " " + node.path("op").asString(""));
        }
        assertEquals(Set.of("intent", "done"), kinds, "the journal was read while the applies ran");
        assertTrue(ops.containsAll(List.of("intent bind", "done bind", "intent unbind", "intent create-certificate",
                "done create-certificate", "intent update-certificate", "done update-certificate", "intent attach",
                "done attach", "intent detach", "done detach", "done unbind", "intent delete-certificate")),
                "the records of both models were read: " + ops);
    }

    private void apply(Simulator simulator, TestCertificates.Issued cert, String perDomain, String shared)
            throws IOException {
        Path file = manifest(simulator, cert, perDomain, shared);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new Context(new PrintWriter(out), new PrintWriter(err), new BufferedReader(
                new StringReader("")), name -> name.equals("CERTFORM_AUTH_TOKEN") ? "tok" : null, Clock.systemUTC(),
                false, false, false), "apply", "--auto-approve", "-f", file.toString());
        assertEquals(0, code, out + "\n" + err);
    }

    /** An apply in a child JVM, killed (as by kill -9) the {@code sends}th time a call was sent. */
    private void killedApply(Simulator simulator, TestCertificates.Issued cert, String perDomain, String shared,
                             int sends) throws Exception {
        Path file = manifest(simulator, cert, perDomain, shared);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "apply", "--auto-approve", "-f", file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("killed.out").toFile());
        builder.environment().put("CERTFORM_AUTH_TOKEN", "tok");
        builder.environment().put("HOME", "/nonexistent/certform-test-home");
        builder.environment().put(CrashPoint.VARIABLE, "after-send:" + sends);
        Process child = builder.start();
        assertEquals(CrashPoint.STATUS, child.waitFor(), Files.readString(dir.resolve("killed.out")));
    }

    private Path manifest(Simulator simulator, TestCertificates.Issued cert, String perDomain, String shared)
            throws IOException {
        Files.writeString(dir.resolve("site.crt"), cert.chainPem());
        Files.writeString(dir.resolve("site.key"), cert.privateKeyPem());
        StringBuilder manifest = new StringBuilder("""
                version: 1
                provider: { endpoint: "%s", project_id: proj1 }
                defaults: { instance_id: inst1 }
                certificates:
                  own:
                    name: own_cert
                    cert_content: ${file:site.crt}
                    private_key: ${file:site.key}
                    domains:
                """.formatted(simulator.baseUrl()));
        perDomainList(manifest, perDomain);
        if (shared != null) {
            manifest.append("""
                      wild:
                        name: wild_cert
                        mode: shared
                        cert_content: ${file:site.crt}
                        private_key: ${file:site.key}
                        domains:
                    """);
            perDomainList(manifest, shared);
        }
        Path file = dir.resolve("certform.yaml");
        Files.writeString(file, manifest);
        return file;
    }

    private static void perDomainList(StringBuilder manifest, String ids) {
        for (String id : ids.substring(1, ids.length() - 1).split(", ")) {
            manifest.append("      - { group_id: grp0, domain_id: ").append(id).append(", domain: d")
                    .append(id.substring(3)).append(".example.com }\n");
        }
    }

    private static List<String> journalLeft(Path journal) {
        List<String> left = completeLines(journal);
        assertFalse(left.isEmpty(), "the killed run left its journal");
        return left;
    }

    /** The journal's complete lines now (none when there is no journal). */
    private static List<String> completeLines(Path journal) {
        try {
            String text = Files.readString(journal, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            return end < 0 ? List.of() : text.substring(0, end).lines().filter(l -> !l.isBlank()).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PEM's base64 body on one line, the way it would appear inside a JSON string with its line breaks escaped. */
    private static String body(String pem) {
        return pem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
    }
}
