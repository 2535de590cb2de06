package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.simulator.Simulator;
import io.certform.testing.GatewayWorld;
import io.certform.testkit.TestCertificates;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code certform report} says of a binding agrees with what {@code plan} will do with it. */
class ReportTruthTest {

    private static final TestCertificates.Issued WILD = TestCertificates.authority("Pattern CA")
            .issue("*.shop.example.com", "*.eu.shop.example.com");

    @TempDir
    Path dir;

    @Test
    void aRecordedDomainItsMatchEntryNoLongerSelects_isNotInManifest_asThePlanRemovesIt() throws Exception {
        try (Simulator simulator = GatewayWorld.of(0).domain("grpA", "a1", "api.shop.example.com")
                .domain("grpA", "a2", "www.shop.example.com").domain("grpB", "b1", "pay.shop.example.com")
                .options(ShopWorld.options(3)).startSimulator()) {
            Path manifest = ShopWorld.manifest(simulator).domains("{ group_id: grpA, match: \"*.shop.example.com\" }")
                    .write(dir, WILD);
            assertEquals(0, CliRun.run("apply", "--auto-approve", "-f", manifest.toString()).exitCode());
            CliRun selected = CliRun.run("report", "-f", manifest.toString(), "-o", "-");
            assertEquals(0, selected.exitCode(), selected.toString());
            assertEquals(List.of("in sync", "in sync"), syncOf(selected.out()), "what the pattern selected, applied");

            manifest = ShopWorld.manifest(simulator).domains("{ group_id: grpB, match: \"*.shop.example.com\" }")
                    .write(dir, WILD); // grpA's domains are no longer selected: the next apply removes them
            CliRun plan = CliRun.run("plan", "-f", manifest.toString());
            assertEquals(0, plan.exitCode(), plan.toString());
            assertTrue(plan.out().contains("1 to add, 0 to change, 2 to destroy"), plan.out());
            CliRun report = CliRun.run("report", "-f", manifest.toString(), "-o", "-");
            assertEquals(0, report.exitCode(), report.toString());
            assertEquals(List.of("not in manifest", "not in manifest"), syncOf(report.out()),
                    "the plan destroys both recorded bindings: the report says so");
        }
    }

    /** The sync label of each inventory row, in row order. */
    static List<String> syncOf(String html) {
        Matcher tables = Pattern.compile("\"syncs\":\\[([^\\]]*)]").matcher(html);
        assertTrue(tables.find(), html);
        List<String> labels = Pattern.compile("\"([^\"]*)\"").matcher(tables.group(1)).results()
                .map(r -> r.group(1)).toList();
        Matcher rows = Pattern.compile("\"rows\":\\[(.*)]}").matcher(html);
        assertTrue(rows.find(), html);
        return Pattern.compile("\\[\\d+,\\d+,\\d+,\"(?:[^\"\\\\]|\\\\.)*\",\\d+,\\d+,(\\d+),").matcher(rows.group(1))
                .results().map(m -> labels.get(Integer.parseInt(m.group(1)))).toList();
    }
}
