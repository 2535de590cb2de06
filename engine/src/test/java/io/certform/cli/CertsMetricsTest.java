package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.cli.view.PrometheusText;
import io.certform.cli.view.PrometheusView;
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
        assertEquals(List.of(PrometheusView.NOT_AFTER, PrometheusView.DAYS_LEFT, PrometheusView.IN_SYNC),
                List.copyOf(families.keySet()));
        for (PrometheusText.Family f : families.values()) {
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

    private static Map<String, Double> byDomain(PrometheusText.Family family) {
        Map<String, Double> out = new TreeMap<>();
        family.samples().forEach(s -> out.put(s.labels().get("domain"), s.value()));
        return out;
    }
}
