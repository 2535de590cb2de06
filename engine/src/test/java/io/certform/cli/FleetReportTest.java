package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.testing.GatewayFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** certform report and certs of a fleet: each binding's provider is its own, and its series are told apart. */
class FleetReportTest {

    @TempDir
    Path dir;

    @Test
    void eachBinding_showsItsOwnProvider() throws Exception {
        try (GatewayFleet fleet = GatewayFleet.builder()
                .provider("east", p -> p.domains(3))
                .provider("west", p -> p.domains(2))
                .start()) {
            Path manifest = fleet.write(dir, fleet.certificate());
            CliRun apply = CliRun.runner().env(fleet.env()).run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, apply.exitCode(), apply.toString());
            Path page = dir.resolve("report.html");
            CliRun report = CliRun.runner().env(fleet.env())
                    .run("report", "-o", page.toString(), "-f", manifest.toString());
            assertEquals(0, report.exitCode(), report.toString());
            String html = Files.readString(page);
            for (String provider : new String[] {"east", "west"}) {
                String project = fleet.member(provider).projectId();
                assertTrue(html.contains(provider + ": ") && html.contains("(" + project + ")"),
                        provider + "'s bindings are labelled with its name and project");
            }
            assertFalse(html.contains("default: "), "no binding is the default provider's");
        }
    }

    /** Prometheus series of a fleet carry the provider, so the same domain under two providers is two series. */
    @Test
    void certsMetrics_labelEachSeriesWithItsProvider() throws Exception {
        try (GatewayFleet fleet = GatewayFleet.builder()
                .provider("east", p -> p.domains(2))
                .provider("west", p -> p.domains(2))
                .start()) {
            Path manifest = fleet.write(dir, fleet.certificate());
            CliRun apply = CliRun.runner().env(fleet.env()).run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, apply.exitCode(), apply.toString());
            CliRun certs = CliRun.runner().env(fleet.env())
                    .run("certs", "--format", "prometheus", "-f", manifest.toString());
            assertEquals(0, certs.exitCode(), certs.toString());
            java.util.List<String> inSync = certs.out().lines()
                    .filter(l -> l.startsWith("certform_binding_in_sync{")).toList();
            assertEquals(4, inSync.size(), certs.out());
            assertEquals(2, inSync.stream().filter(l -> l.contains("provider=\"east\"") && l.endsWith(" 1")).count(),
                    certs.out());
            assertEquals(2, inSync.stream().filter(l -> l.contains("provider=\"west\"") && l.endsWith(" 1")).count(),
                    certs.out());
            assertEquals(inSync.size(), inSync.stream().map(l -> l.substring(0, l.lastIndexOf(' '))).distinct().count(),
                    "every series is distinct: " + inSync);
        }
    }
}
