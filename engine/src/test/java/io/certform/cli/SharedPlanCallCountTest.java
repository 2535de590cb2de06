package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.simulator.Simulator;
import io.certform.testkit.TestCertificates;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The plan's "API calls" count equals the write calls apply really sends (guarantee 4; the simulator's
 * counters.calls), for every kind of change of the shared model, with a chunk size that does not divide N; and the
 * plan's wording of a model switch and of one call.
 */
class SharedPlanCallCountTest {

    static final int DOMAINS = 7;
    static final int CHUNK = 3;
    static final TestCertificates.Authority CA = TestCertificates.authority("Count test CA");
    static final TestCertificates.Issued CERT = CA.issue("*.shop.example.com");
    static final TestCertificates.Issued RENEWED = CA.issue("*.shop.example.com");
    static final String[] WRITES = {"certificate_create", "certificate_update", "certificate_delete",
            "certificate_attach", "certificate_detach", "domain_certificates_attach", "domain_certificates_detach",
            "domain_certificate_add", "domain_certificate_delete", "domain_bind", "domain_unbind"};
    static final Pattern PLANNED = Pattern.compile("API calls: (\\d+) write calls?");

    @TempDir
    Path dir;

    Simulator simulator() throws Exception {
        return ShopWorld.start(DOMAINS, 2, 3);
    }

    Path manifest(Simulator simulator, String mode, String type, TestCertificates.Issued cert, String match)
            throws Exception {
        return ShopWorld.manifest(simulator).attachChunk(CHUNK).mode(mode).type(type).domains(match).write(dir, cert);
    }

    /** Applies, and checks that the plan it printed announced exactly the write calls it sent. */
    final java.util.List<String> mismatches = new java.util.ArrayList<>();

    long applyAndCount(Simulator simulator, Path manifest, String... more) throws Exception {
        JsonNode before = SharedModelEndToEndTest.calls(simulator);
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("apply", "-f", manifest.toString(),
                "--auto-approve"));
        args.addAll(java.util.List.of(more));
        CliRun apply = CliRun.run(args.toArray(String[]::new));
        assertEquals(0, apply.exitCode(), apply.toString());
        JsonNode after = SharedModelEndToEndTest.calls(simulator);
        long sent = SharedModelEndToEndTest.writes(before, after, WRITES);
        Matcher m = PLANNED.matcher(apply.out());
        assertTrue(m.find(), "the plan shows its API calls: " + apply.out());
        long planned = Long.parseLong(m.group(1));
        if (planned != sent) {
            mismatches.add("planned " + planned + ", sent " + sent + ": " + before + " -> " + after);
        }
        return sent;
    }

    @Test
    void everyKindOfSharedChange_planCountMatchesTheCallsSent() throws Exception {
        try (Simulator simulator = simulator()) {
            String all = "match: \"*.shop.example.com\"";
            // create and attach: 1 + ceil(7/3)
            assertEquals(1 + 3, applyAndCount(simulator, manifest(simulator, "shared", "global", CERT, all)));
            // renewal: one PUT
            assertEquals(1, applyAndCount(simulator, manifest(simulator, "shared", "global", RENEWED, all)));
            // the three domains of grp1 leave the manifest: one detach batch
            assertEquals(1, applyAndCount(simulator, manifest(simulator, "shared", "global", RENEWED,
                    "{ group_id: grp0, match: \"*.shop.example.com\" }")));
            // replaced (type global -> instance): create, attach, detach, delete, rename
            applyAndCount(simulator, manifest(simulator, "shared", "instance", RENEWED, all));
            // shared -> per-domain and back
            applyAndCount(simulator, manifest(simulator, "per-domain", "instance", RENEWED, all));
            applyAndCount(simulator, manifest(simulator, "shared", "instance", RENEWED, all));
            assertEquals(0, CliRun.run("plan", "-f", dir.resolve("certform.yaml").toString(),
                    "--detailed-exitcode").exitCode());
            assertEquals(java.util.List.of(), mismatches, "every plan announces the write calls its apply sends");
        }
    }

    @Test
    void planText_countsOneCallInTheSingular_andNamesAModelSwitchOnce() throws Exception {
        try (Simulator simulator = simulator()) {
            String all = "match: \"*.shop.example.com\"";
            Path manifest = manifest(simulator, "shared", "global", CERT, all);
            assertEquals(0, CliRun.run("apply", "-f", manifest.toString(), "--auto-approve").exitCode());
            manifest(simulator, "shared", "global", RENEWED, all);
            CliRun renewal = CliRun.run("plan", "-f", manifest.toString());
            assertTrue(renewal.out().contains("API calls: 1 write call\n"), renewal.out());

            manifest(simulator, "per-domain", "global", RENEWED, all);
            CliRun switched = CliRun.run("plan", "-f", manifest.toString());
            assertTrue(switched.out().contains("  wild (shared -> per-domain): "), switched.out());
            assertTrue(switched.out().contains("= \"shared\" -> \"per-domain\""), switched.out());
            CliRun json = CliRun.run("plan", "-f", manifest.toString(), "--json");
            assertTrue(json.out().contains("\"model\":\"shared -> per-domain\""), json.out());
        }
    }

    @Test
    void replaceOfASharedCertificate_makesItAnew_attachingEveryDomainFirst_asThePlanCounted() throws Exception {
        try (Simulator simulator = simulator()) {
            String all = "match: \"*.shop.example.com\"";
            Path manifest = manifest(simulator, "shared", "global", CERT, all);
            applyAndCount(simulator, manifest);
            String before = new io.certform.state.local.LocalStateStore(dir.resolve("certform.state.json"), "t").read()
                    .resource("wild").orElseThrow().sslId();
            CliRun plan = CliRun.run("plan", "-f", manifest.toString(), "-replace=wild");
            assertTrue(plan.out().contains("replacement requested with -replace"), plan.out());
            JsonNode counted = SharedModelEndToEndTest.calls(simulator);
            applyAndCount(simulator, manifest, "-replace", "wild");
            assertEquals(1, SharedModelEndToEndTest.writes(counted, SharedModelEndToEndTest.calls(simulator),
                    "certificate_create"), "made anew, once");
            String after = new io.certform.state.local.LocalStateStore(dir.resolve("certform.state.json"), "t").read()
                    .resource("wild").orElseThrow().sslId();
            assertTrue(!before.equals(after), before + " -> " + after);
            assertEquals(0, CliRun.run("plan", "-f", manifest.toString(), "--detailed-exitcode").exitCode());
            CliRun attachment = CliRun.run("plan", "-f", manifest.toString(),
                    "-replace=wild[api0.shop.example.com]");
            assertEquals(1, attachment.exitCode(), attachment.toString());
            assertTrue(attachment.err().contains("replace the certificate with -replace wild"), attachment.err());
            assertEquals(java.util.List.of(), mismatches, "the plan announces the write calls its apply sends");
        }
    }
}
