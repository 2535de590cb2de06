package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.cli.view.PrometheusText;
import io.certform.cli.view.PrometheusView;
import io.certform.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code certs --format prometheus} for node_exporter's textfile collector, and {@code certs --fail-under DAYS}. */
class CertsMetricsTest {

    @TempDir
    Path dir;

    @Test
    void prometheus_isStrictTextFormat_perBinding_andInSyncFollowsTheState() throws Exception {
        QuickstartFixture fixture = new QuickstartFixture(dir);
        Map<String, String> env = new HashMap<>(Map.of("STATUS_KEY", fixture.statusKey()));
        String manifest = fixture.manifest().toString();

        CliRun before = CliRun.run(env, "", "certs", "--format", "prometheus", "-f", manifest);
        assertEquals(0, before.exitCode(), before.toString());
        Map<String, PrometheusText.Family> families = PrometheusText.parse(before.out());
        assertEquals(List.of(PrometheusView.NOT_AFTER, PrometheusView.DAYS_LEFT, PrometheusView.IN_SYNC,
                PrometheusView.PROBLEM), List.copyOf(families.keySet()));
        assertTrue(families.get(PrometheusView.PROBLEM).samples().stream().allMatch(s -> s.value() == 0.0),
                before.out());
        for (PrometheusText.Family f : List.of(families.get(PrometheusView.NOT_AFTER),
                families.get(PrometheusView.DAYS_LEFT), families.get(PrometheusView.IN_SYNC))) {
            assertEquals("gauge", f.type());
            assertTrue(f.help() != null && !f.help().isEmpty(), f.name());
            assertEquals(3, f.samples().size(), f.name() + ": one sample per binding");
            for (PrometheusText.Sample s : f.samples()) {
                assertEquals(List.of("certificate", "name", "domain"), List.copyOf(s.labels().keySet()));
            }
        }
        Map<String, Double> notAfter = byDomain(families.get(PrometheusView.NOT_AFTER));
        assertEquals((double) fixture.status.certificate().getNotAfter().toInstant().getEpochSecond(),
                notAfter.get("status.example.com"));
        assertEquals((double) fixture.shop.certificate().getNotAfter().toInstant().getEpochSecond(),
                notAfter.get("api.shop.example.com"));
        long statusDays = Duration.between(Instant.now(), fixture.status.certificate().getNotAfter().toInstant())
                .toDays();
        assertEquals((double) statusDays, byDomain(families.get(PrometheusView.DAYS_LEFT)).get("status.example.com"),
                1.0);
        assertEquals(Map.of("api.shop.example.com", 0.0, "www.shop.example.com", 0.0, "status.example.com", 0.0),
                byDomain(families.get(PrometheusView.IN_SYNC)), "nothing applied yet");
        assertEquals(Map.of("certificate", "status", "name", "status_page_2026", "domain", "status.example.com"),
                families.get(PrometheusView.IN_SYNC).samples().stream()
                        .filter(s -> s.labels().get("domain").equals("status.example.com")).findFirst().orElseThrow()
                        .labels());

        assertEquals(0, CliRun.run(env, "", "apply", "--auto-approve", "-f", manifest).exitCode());
        Map<String, Double> applied = byDomain(PrometheusText.parse(
                CliRun.run(env, "", "certs", "--format", "prometheus", "-f", manifest).out()).get(PrometheusView.IN_SYNC));
        assertEquals(Map.of("api.shop.example.com", 1.0, "www.shop.example.com", 1.0, "status.example.com", 1.0),
                applied);

        fixture.writeManifest("embedded", "certs/status-renewed.crt", true);
        Map<String, Double> rotated = byDomain(PrometheusText.parse(
                CliRun.run(env, "", "certs", "--format", "prometheus", "-f", manifest).out()).get(PrometheusView.IN_SYNC));
        assertEquals(0.0, rotated.get("status.example.com"), "the manifest names a certificate not yet applied");
        assertEquals(1.0, rotated.get("api.shop.example.com"));
    }

    @Test
    void failUnder_exits1_namingEachCertificateWithFewerDaysLeft() throws Exception {
        QuickstartFixture fixture = new QuickstartFixture(dir);
        Map<String, String> env = Map.of("STATUS_KEY", fixture.statusKey());
        String manifest = fixture.manifest().toString();
        long shopDays = Duration.between(Instant.now(), fixture.shop.certificate().getNotAfter().toInstant()).toDays();
        long statusDays = Duration.between(Instant.now(), fixture.status.certificate().getNotAfter().toInstant())
                .toDays();
        assertTrue(shopDays < statusDays, shopDays + " / " + statusDays);

        CliRun gate = CliRun.run(env, "", "certs", "--fail-under", Long.toString(shopDays + 1), "-f", manifest);
        assertEquals(1, gate.exitCode(), gate.toString());
        assertTrue(gate.err().contains("certificate 'shop' (shop_api_2026) has " + shopDays + " days left"),
                gate.err());
        assertFalse(gate.err().contains("'status'"), gate.err());

        CliRun both = CliRun.run(env, "", "certs", "--format", "prometheus", "--fail-under",
                Long.toString(statusDays + 1), "-f", manifest);
        assertEquals(1, both.exitCode(), both.toString());
        assertTrue(both.err().contains("'shop'") && both.err().contains("'status'"), both.err());
        PrometheusText.parse(both.out()); // the metrics are still written, for the textfile collector

        CliRun passes = CliRun.run(env, "", "certs", "--fail-under", Long.toString(shopDays), "-f", manifest);
        assertEquals(0, passes.exitCode(), passes.toString());
    }

    /**
     * The monitoring recipe writes the metrics through a temporary file, renamed only when certs exits 0: so certs
     * writes them, and exits 0, whatever the certificates' health, with one sample per certificate and problem; the
     * exit code is a gate only behind --fail-on-problem (or --fail-under), and the table never says ok beside a
     * problem.
     */
    @Test
    void prometheus_exits0_whateverTheHealth_withAProblemSamplePerCertificate_andTheGateBehindAFlag()
            throws Exception {
        QuickstartFixture fixture = new QuickstartFixture(dir);
        Map<String, String> env = Map.of("STATUS_KEY", fixture.statusKey());
        TestCertificates.Authority ca = TestCertificates.authority("Other CA");
        Instant now = Instant.now();
        // shop: a key that is not its certificate's
        Files.writeString(dir.resolve("certs/shop.key"), ca.issue("api.shop.example.com").privateKeyPem());
        TestCertificates.Issued old = ca.issue(TestCertificates.rsa(2048), now.minus(Duration.ofDays(100)),
                now.minus(Duration.ofDays(3)), "old.example.com");
        Files.writeString(dir.resolve("certs/old.crt"), old.chainPem());
        Files.writeString(dir.resolve("certs/old.key"), old.privateKeyPem());
        Files.writeString(dir.resolve("certs/broken.crt"), "-----BEGIN CERTIFICATE-----\nnot base64\n"
                + "-----END CERTIFICATE-----\n");
        TestCertificates.Issued good = ca.issue("good.example.com");
        Files.writeString(dir.resolve("certs/good.crt"), good.chainPem());
        Files.writeString(dir.resolve("certs/good.key"), good.privateKeyPem());
        // status: bound to a domain its names do not cover
        String text = Files.readString(fixture.manifest()).replace("domain: status.example.com",
                "domain: status2.example.com") + """
                  old:
                    name: old_cert_2025
                    cert_content: ${file:certs/old.crt}
                    private_key: ${file:certs/old.key}
                    domains:
                      - { group_id: grp3, domain: old.example.com }
                  broken:
                    name: broken_cert
                    cert_content: ${file:certs/broken.crt}
                    private_key: ${file:certs/old.key}
                    domains:
                      - { group_id: grp3, domain: broken.example.com }
                  good:
                    name: good_cert_2026
                    cert_content: ${file:certs/good.crt}
                    private_key: ${file:certs/good.key}
                    domains:
                      - { group_id: grp3, domain: good.example.com }
                """;
        Files.writeString(fixture.manifest(), text);
        String manifest = fixture.manifest().toString();

        CliRun metrics = CliRun.run(env, "", "certs", "--format", "prometheus", "-f", manifest);
        assertEquals(0, metrics.exitCode(), metrics.toString());
        Map<String, PrometheusText.Family> families = PrometheusText.parse(metrics.out());
        Map<String, Double> problems = new TreeMap<>();
        for (PrometheusText.Sample s : families.get(PrometheusView.PROBLEM).samples()) {
            problems.put(s.labels().get("certificate") + "/" + s.labels().get("problem"), s.value());
        }
        Map<String, Double> expected = new TreeMap<>();
        for (String key : List.of("shop", "status", "old", "broken", "good")) {
            for (String problem : List.of("expired", "invalid", "key_mismatch", "domain_not_covered")) {
                expected.put(key + "/" + problem, 0.0);
            }
        }
        expected.put("shop/key_mismatch", 1.0);
        expected.put("status/domain_not_covered", 1.0);
        expected.put("old/expired", 1.0);
        expected.put("broken/invalid", 1.0);
        assertEquals(expected, problems, metrics.out());
        assertEquals(Map.of("certificate", "shop", "name", "shop_api_2026", "problem", "key_mismatch"),
                families.get(PrometheusView.PROBLEM).samples().stream()
                        .filter(s -> s.labels().get("certificate").equals("shop")
                                && s.labels().get("problem").equals("key_mismatch")).findFirst().orElseThrow()
                        .labels());
        assertTrue(byDomain(families.get(PrometheusView.DAYS_LEFT)).get("old.example.com") < 0, metrics.out());

        CliRun table = CliRun.run(env, "", "certs", "-f", manifest);
        assertEquals(0, table.exitCode(), table.toString());
        Map<String, String> status = new TreeMap<>();
        table.out().lines().skip(1).forEach(l -> status.put(l.substring(0, l.indexOf(' ')),
                l.substring(l.lastIndexOf(' ') + 1)));
        assertEquals(Map.of("shop", "key_mismatch", "status", "domain_not_covered", "old", "expired",
                "broken", "invalid", "good", "ok"), status, table.out());

        CliRun gate = CliRun.run(env, "", "certs", "--format", "prometheus", "--fail-on-problem", "-f", manifest);
        assertEquals(1, gate.exitCode(), gate.toString());
        PrometheusText.parse(gate.out());
        for (String line : List.of("certificate 'shop' (shop_api_2026): key_mismatch",
                "certificate 'status' (status_page_2026): domain_not_covered",
                "certificate 'old' (old_cert_2025): expired", "certificate 'broken' (broken_cert): invalid")) {
            assertTrue(gate.err().contains(line), gate.err());
        }
        assertFalse(gate.err().contains("'good'"), gate.err());
    }

    @Test
    void prometheus_withAKeyThatCannotBeRead_stillWritesEveryMetric_withTheInvalidProblem() throws Exception {
        QuickstartFixture fixture = new QuickstartFixture(dir);
        Map<String, String> env = new HashMap<>(Map.of("STATUS_KEY", fixture.statusKey()));
        String manifest = fixture.manifest().toString();
        String text = Files.readString(fixture.manifest());
        assertTrue(text.contains("${file:certs/shop.key}"), text);
        Files.writeString(fixture.manifest(), text.replace("${file:certs/shop.key}", "${file:certs/gone.key}"));

        CliRun certs = CliRun.run(env, "", "certs", "--format", "prometheus", "-f", manifest);
        assertEquals(0, certs.exitCode(), "the metrics are written whatever the certificates' health: " + certs);
        PrometheusText.parse(certs.out());
        assertTrue(certs.out().contains(
                "certform_certificate_problem{certificate=\"shop\",name=\"shop_api_2026\",problem=\"invalid\"} 1"),
                certs.toString());
        assertTrue(certs.out().contains("certform_certificate_days_left{certificate=\"status\""), certs.toString());
        assertTrue(certs.out().contains("certform_certificate_days_left{certificate=\"shop\""), certs.toString());
        assertTrue(certs.err().contains("1 error.") && !certs.err().contains("nothing was changed"),
                "certs changes nothing anyway, and does not say so: " + certs);

        CliRun gate = CliRun.run(env, "", "certs", "--format", "prometheus", "--fail-on-problem", "-f", manifest);
        assertEquals(1, gate.exitCode(), gate.toString());
        assertTrue(gate.err().contains("certificate 'shop' (shop_api_2026): invalid"), gate.toString());

        // an unset ${env:...} key on the monitoring host is the same case
        Map<String, String> noKey = new HashMap<>();
        CliRun unset = CliRun.run(noKey, "", "certs", "--format", "prometheus", "-f", manifest);
        assertEquals(0, unset.exitCode(), unset.toString());
        assertTrue(unset.out().contains(
                "certform_certificate_problem{certificate=\"status\",name=\"status_page_2026\",problem=\"invalid\"} 1"),
                unset.toString());
    }

    private static Map<String, Double> byDomain(PrometheusText.Family family) {
        Map<String, Double> out = new TreeMap<>();
        family.samples().forEach(s -> out.put(s.labels().get("domain"), s.value()));
        return out;
    }
}
