package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.state.postgres.PostgresLocation;
import io.certform.testing.GatewayWorld;
import io.certform.testing.PostgresSchema;
import io.certform.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code certform report} of a workspace whose state is in PostgreSQL: read as a local file's is. */
class ReportPostgresTest {

    private static final TestCertificates.Issued WILDCARD = TestCertificates.authority("Report CA")
            .issue("*.example.com");

    @RegisterExtension
    final PostgresSchema pg = new PostgresSchema();

    @TempDir
    Path dir;

    @Test
    void aPostgresState_isReportedWithItsSerialLineageAndWhenWritten_withAndWithoutRefresh() throws Exception {
        pg.schema(); // skips without a server
        Map<String, String> env = Map.of("CERTFORM_AUTH_TOKEN", "tok", PostgresLocation.URL_VARIABLE, pg.url());
        Path manifest = GatewayWorld.of(3).manifest("").provider("endpoint: embedded, project_id: proj1")
                .state(pg.stateLine()).write(dir, WILDCARD);
        String f = manifest.toString();
        CliRun apply = CliRun.run(env, "", "apply", "--auto-approve", "-f", f);
        assertEquals(0, apply.exitCode(), apply.toString());

        CliRun report = CliRun.run(env, "", "report", "-f", f, "-o", "-");
        assertEquals(0, report.exitCode(), report.toString());
        String html = report.out();
        assertTrue(html.contains("state <code>workspace " + pg.workspace() + " of jdbc:postgresql://"), html);
        assertTrue(html.contains("serial <b id=\"serial\">1</b>"), html);
        assertTrue(html.matches("(?s).*written \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC by certform .*"),
                "when the serial was written, in UTC: " + html);
        assertEquals(List.of("in sync", "in sync", "in sync"), ReportTruthTest.syncOf(html));
        assertFalse(Files.exists(dir.resolve("certform.state.json")), "no local state was made");

        CliRun refreshed = CliRun.run(env, "", "report", "--refresh", "-f", f, "-o", "-");
        assertEquals(0, refreshed.exitCode(), refreshed.toString());
        assertTrue(refreshed.out().contains("remote side read first (--refresh)"), refreshed.out());
        assertEquals(List.of("in sync", "in sync", "in sync"), ReportTruthTest.syncOf(refreshed.out()));
    }
}
