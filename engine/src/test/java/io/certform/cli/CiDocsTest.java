package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.cli.view.PrometheusText;
import io.certform.cli.view.PrometheusView;
import io.certform.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parts of docs/ci.md that need no pipeline run ({@link CiRecipesTest} runs those): the monitoring recipe, the
 * shell the recipes run in, and that every pipeline the docs write out is in docs/ci.md.
 */
class CiDocsTest {

    private static final Path CI = CiRecipesTest.CI;

    @TempDir
    Path dir;

    /** The textfile written through a temporary file and a rename: still written when a certificate has expired. */
    @Test
    void monitoringRecipe_keepsWritingTheMetrics_whenACertificateHasExpired() throws Exception {
        Path srv = dir.resolve("srv");
        QuickstartFixture fixture = new QuickstartFixture(srv);
        TestCertificates.Issued expired = fixture.status.issuer().issue(fixture.status.keys(),
                Instant.now().minus(Duration.ofDays(90)), Instant.now().minus(Duration.ofDays(2)),
                "status.example.com");
        Files.writeString(srv.resolve("certs/status.crt"), expired.chainPem());
        Path textfile = Files.createDirectories(dir.resolve("textfile"));
        String script = block("Monitoring expiry", "sh").replace("/var/lib/node_exporter/textfile", textfile.toString())
                .replace("/srv/certs", srv.toString());
        RecipeShell.Run run = new RecipeShell.Run();
        int status = new RecipeShell(dir, Map.of("STATUS_KEY", fixture.statusKey()), run).script(script);

        assertEquals(0, status, run.log.toString());
        assertEquals(List.of(textfile.resolve("certform.prom")), files(textfile), run.log.toString());
        Map<String, PrometheusText.Family> metrics = PrometheusText.parse(
                Files.readString(textfile.resolve("certform.prom")));
        assertEquals(1.0, metrics.get(PrometheusView.PROBLEM).samples().stream()
                .filter(s -> s.labels().get("certificate").equals("status")
                        && s.labels().get("problem").equals("expired")).findFirst().orElseThrow().value());
        assertTrue(metrics.get(PrometheusView.DAYS_LEFT).samples().stream()
                .anyMatch(s -> s.labels().get("domain").equals("status.example.com") && s.value() < 0));
    }

    /** The shell the recipes run in: the operators as sh does them, and no command it does not know. */
    @Test
    void recipeShell_runsAndOrAndStatusTests_asShDoes_andRefusesUnknownCommands() throws Exception {
        RecipeShell.Run run = new RecipeShell.Run();
        Files.writeString(dir.resolve("key.pem"), "PEM\n");
        RecipeShell shell = new RecipeShell(dir, Map.of("KEY_FILE", dir.resolve("key.pem").toString()), run);
        assertEquals(0, shell.line("certform frobnicate > out.txt || [ $? -eq 1 ]"));
        assertEquals(1, shell.line("certform frobnicate > out.txt || [ $? -eq 2 ]"));
        assertEquals(1, shell.line("certform frobnicate > out.txt && mv out.txt moved.txt"));
        assertFalse(Files.exists(dir.resolve("moved.txt")));
        assertEquals(0, shell.line("certform version > out.txt && mv out.txt moved.txt"));
        assertTrue(Files.readString(dir.resolve("moved.txt")).contains("certform"));
        assertEquals(0, shell.line("export KEY=\"$(cat \"$KEY_FILE\")\""));
        assertEquals(0, shell.line("gh pr comment \"$PR\" --body-file moved.txt"));
        assertEquals(1, run.comments.size());
        AssertionError unknown = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> shell.line("rm -rf certs"));
        assertTrue(unknown.getMessage().contains("'rm'"), unknown.getMessage());
        assertEquals(List.of("a", "b c"), RecipeShell.lines("# comment\na\n\nb \\\n  c\n"));
    }

    /**
     * A pipeline written out anywhere else in the docs is one this test does not run: the one that workflow.md
     * sketched kept its state in a file that no other job sees and applied the newest plan of any pull request.
     * Every pipeline (GitHub jobs, GitLab stages, a Jenkinsfile) lives in docs/ci.md; the others link to it.
     */
    @Test
    void everyPipelineTheDocsWriteOut_isInCiMd_whereThisTestRunsIt() throws IOException {
        Pattern fence = Pattern.compile("(?ms)^```[\\w-]*\\n(.*?)^```");
        Pattern pipeline = Pattern.compile("(?m)^\\s*(runs-on|jobs|stages):|^\\s*pipeline \\{");
        List<String> elsewhere = new ArrayList<>();
        int inCi = 0;
        for (Path file : MarkdownDocsTest.markdownFiles()) {
            Matcher block = fence.matcher(Files.readString(file));
            while (block.find()) {
                if (!pipeline.matcher(block.group(1)).find()) {
                    continue;
                }
                if (file.normalize().equals(CI.normalize())) {
                    inCi++;
                } else {
                    elsewhere.add(file.getFileName() + ": " + block.group(1).lines().findFirst().orElse(""));
                }
            }
        }
        assertEquals(3, inCi, "docs/ci.md: GitHub Actions, GitLab CI, Jenkins");
        assertEquals(List.of(), elsewhere, "pipelines outside docs/ci.md, which no test runs");
    }

    private static String block(String heading, String lang) throws IOException {
        return CiRecipesTest.block(heading, lang);
    }

    private static List<Path> files(Path folder) throws IOException {
        return RecipeShell.files(folder);
    }
}
