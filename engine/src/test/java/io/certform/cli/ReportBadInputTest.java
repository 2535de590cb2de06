package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code certform report} given what it cannot use: a clear error naming what, where and what to do; no page. */
class ReportBadInputTest {

    @TempDir
    Path dir;

    private CliRun report(QuickstartFixture fixture, String... more) throws Exception {
        String[] args = new String[3 + more.length];
        args[0] = "report";
        args[1] = "-f";
        args[2] = fixture.manifest().toString();
        System.arraycopy(more, 0, args, 3, more.length);
        return CliRun.run(Map.of("STATUS_KEY", fixture.statusKey()), "", args);
    }

    @Test
    void anApplyLogThatIsNotALog_isAnError_namingTheFile_andNothingIsWritten() throws Exception {
        QuickstartFixture fixture = new QuickstartFixture(dir);
        Path page = dir.resolve("report.html");
        CliRun run = report(fixture, "--apply-log", fixture.manifest().toString(), "-o", page.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--apply-log " + fixture.manifest() + ": not the output of 'certform apply"
                + " --json'"), run.err());
        assertFalse(Files.exists(page), "no page");
    }

    @Test
    void aRolloutSummaryLineThatIsCutShort_isAnError_namingTheLine() throws Exception {
        QuickstartFixture fixture = new QuickstartFixture(dir);
        Path log = dir.resolve("apply.jsonl");
        Files.writeString(log, "{\"type\":\"planned\",\"address\":\"x\"}\n"
                + "{\"ok\":true,\"waves\":[{\"wave\":1,\"domains\":1,\"type\":\"rollout_summary\"\n");
        Path page = dir.resolve("report.html");
        CliRun run = report(fixture, "--apply-log", log.toString(), "-o", page.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--apply-log " + log + ", line 2: "), run.err());
        assertFalse(Files.exists(page), "no page");
    }

    @Test
    void aCorruptState_isAnError_namingTheStateFile_andNothingIsWritten() throws Exception {
        QuickstartFixture fixture = new QuickstartFixture(dir);
        Files.writeString(dir.resolve("certform.state.json"), "{\"version\": 4, \"serial\": tru");
        Path page = dir.resolve("report.html");
        CliRun run = report(fixture, "-o", page.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("certform.state.json"), run.err());
        assertFalse(run.err().contains("\tat io.certform"), "no stack trace: " + run.err());
        assertFalse(Files.exists(page), "no page");
    }

    @Test
    void anOutputInAFolderThatIsNotThere_isRefusedBeforeARefreshReadsOrWritesAnything() throws Exception {
        QuickstartFixture fixture = new QuickstartFixture(dir);
        assertEquals(0, CliRun.run(Map.of("STATUS_KEY", fixture.statusKey()), "", "apply", "-f",
                fixture.manifest().toString(), "--auto-approve").exitCode());
        Path state = fixture.manifest().resolveSibling("certform.state.json");
        byte[] before = Files.readAllBytes(state);
        Path missing = dir.resolve("nope/report.html");
        CliRun run = report(fixture, "--refresh", "-o", missing.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("the folder " + missing.getParent() + " does not exist"), run.err());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(state)), "the state is not written");
    }

    @Test
    void anOutputThatMerelyEndsInADash_isAFile_notStandardOutput() throws Exception {
        QuickstartFixture fixture = new QuickstartFixture(dir);
        Path dashed = Files.createDirectories(dir.resolve("out")).resolve("-");
        CliRun run = report(fixture, "-o", dashed.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(Files.readString(dashed).startsWith("<!DOCTYPE html>"), "the page is in the file");
        assertFalse(run.out().contains("<html"), "and not on standard output");
    }

    @Test
    void anOutputInAFolderThatIsNotThere_orAFolder_isAnError_sayingWhatToDo() throws Exception {
        QuickstartFixture fixture = new QuickstartFixture(dir);
        Path missing = dir.resolve("nope/report.html");
        CliRun run = report(fixture, "-o", missing.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("cannot write the report to " + missing), run.err());
        assertTrue(run.err().contains("give -o a path in a folder you can write to"), run.err());

        Path folder = Files.createDirectories(dir.resolve("out"));
        Files.writeString(folder.resolve("keep.txt"), "kept");
        CliRun onFolder = report(fixture, "-o", folder.toString());
        assertEquals(1, onFolder.exitCode(), onFolder.toString());
        assertTrue(onFolder.err().contains("cannot write the report to " + folder), onFolder.err());
        assertEquals("kept", Files.readString(folder.resolve("keep.txt")));
        try (var left = Files.list(dir)) {
            assertEquals(0, left.filter(p -> p.getFileName().toString().startsWith(".certform-report")).count(),
                    "no temporary file left");
        }
    }

    @Test
    void anEndpointCarryingAPassword_isAnError_andThePasswordReachesNeitherThePageNorTheError() throws Exception {
        QuickstartFixture fixture = new QuickstartFixture(dir);
        fixture.writeManifest("https://AKID:Sup3rSecretSK@127.0.0.1:9", "certs/status.crt", true);
        CliRun run = report(fixture, "-o", "-");
        assertTrue(run.err().contains("carries a user name"), run.toString());
        assertFalse(run.out().contains("Sup3rSecretSK"), "the password is not in the page");
        assertFalse(run.err().contains("Sup3rSecretSK"), "nor in an error");
        assertFalse(run.out().contains("AKID:"), "nor the user name beside it");
    }

    @Test
    void aManifestThatIsNotThere_orNotYaml_isAnError_namingIt_andNothingIsWritten() throws Exception {
        Path page = dir.resolve("report.html");
        CliRun missing = CliRun.run("report", "-f", dir.resolve("nope.yaml").toString(), "-o", page.toString());
        assertEquals(1, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("nope.yaml"), missing.err());
        Path garbage = dir.resolve("certform.yaml");
        Files.writeString(garbage, "certificates: [unclosed\n  - {\n");
        CliRun broken = CliRun.run("report", "-f", garbage.toString(), "-o", page.toString());
        assertEquals(1, broken.exitCode(), broken.toString());
        assertTrue(broken.err().contains("certform.yaml:"), "where: " + broken.err());
        assertFalse(broken.err().contains("\tat "), "no stack trace: " + broken.err());
        assertFalse(Files.exists(page), "no page");
    }
}
