package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.cli.view.MarkdownPlanView;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plan --format markdown} and {@code show PLANFILE --format markdown}: a pull-request comment. */
class MarkdownPlanTest {

    @TempDir
    Path dir;

    @Test
    void markdown_hasASummaryTable_andOneDetailsPerChange_withoutColourOrSecrets() throws Exception {
        QuickstartFixture fixture = new QuickstartFixture(dir);
        Map<String, String> env = new HashMap<>(Map.of("STATUS_KEY", fixture.statusKey()));
        String manifest = fixture.manifest().toString();

        // a terminal that takes colour: markdown must still carry none
        CliRun creates = CliRun.run(env, "", true, true, "plan", "--format", "markdown", "-f", manifest);
        assertEquals(0, creates.exitCode(), creates.toString());
        String md = creates.out();
        Structure s = Structure.of(md);
        assertEquals(MarkdownPlanView.MARKER, md.lines().findFirst().orElse(""));
        assertTrue(md.contains("**Plan:** 3 to add, 0 to change, 0 to destroy."), md);
        assertEquals(List.of("", "Address", "Action", "Certificate", "Expires"), s.header);
        assertEquals(List.of("shop[api.shop.example.com]", "shop[www.shop.example.com]", "status[status.example.com]"),
                s.rows.stream().map(r -> r.get(1).replace("`", "")).toList());
        s.rows.forEach(r -> assertEquals("create", r.get(2), r.toString()));
        assertEquals(3, s.details.size(), md);
        assertTrue(s.details.get(0).contains("\n+ binding \"shop[api.shop.example.com]\" {"), s.details.get(0));
        assertTrue(s.details.get(0).contains("\n+     private_key"), s.details.get(0));
        assertTrue(s.details.get(0).contains("(sensitive value)"), s.details.get(0));
        assertClean(md, fixture);

        // -out writes the plan file and keeps stdout for the comment only; show renders the same markdown
        Path planFile = dir.resolve("pr.plan");
        CliRun saved = CliRun.run(env, "", "plan", "--format", "markdown", "-out", planFile.toString(), "-f",
                manifest);
        assertEquals(md, saved.out());
        CliRun shown = CliRun.run(env, "", "show", planFile.toString(), "--format", "markdown");
        assertEquals(0, shown.exitCode(), shown.toString());
        assertEquals(md, shown.out());

        assertEquals(0, CliRun.run(env, "", "apply", "--auto-approve", "-f", manifest).exitCode());
        fixture.writeManifest("embedded", "certs/status-renewed.crt", false);
        String mixed = CliRun.run(env, "", "plan", "--format", "markdown", "-f", manifest).out();
        Structure m = Structure.of(mixed);
        assertTrue(mixed.contains("**Plan:** 0 to add, 1 to change, 1 to destroy."), mixed);
        assertEquals(List.of("destroy", "update in place"), m.rows.stream().map(r -> r.get(2)).toList());
        assertTrue(m.details.get(1).contains("\n!     serial_number"), m.details.get(1));
        assertClean(mixed, fixture);

        assertEquals(0, CliRun.run(env, "", "apply", "--auto-approve", "-f", manifest).exitCode());
        String none = CliRun.run(env, "", "plan", "--format", "markdown", "-f", manifest).out();
        assertTrue(none.contains("**No changes.**"), none);
        assertEquals(0, Structure.of(none).details.size());
    }

    @Test
    void aPlanTooLargeForOneComment_listsWhatFits_andSaysHowManyAreLeftOut() throws Exception {
        var wildcard = io.certform.testkit.TestCertificates.authority("certform Test CA").issue("*.shop.example.com");
        java.nio.file.Files.writeString(dir.resolve("wild.crt"), wildcard.chainPem());
        java.nio.file.Files.writeString(dir.resolve("wild.key"), wildcard.privateKeyPem());
        StringBuilder manifest = new StringBuilder("""
                version: 1
                provider: { endpoint: embedded, project_id: proj1 }
                defaults: { instance_id: inst1, group_id: grp1 }
                certificates:
                  wild:
                    name: wildcard_2026
                    cert_content: ${file:wild.crt}
                    private_key: ${file:wild.key}
                    domains:
                """);
        int domains = 400;
        for (int i = 0; i < domains; i++) {
            manifest.append("      - { domain: d").append(i).append(".shop.example.com }\n");
        }
        Path file = dir.resolve("certform.yaml");
        java.nio.file.Files.writeString(file, manifest);
        CliRun plan = CliRun.run(Map.of(), "", "plan", "--format", "markdown", "-f", file.toString());
        assertEquals(0, plan.exitCode(), plan.toString());
        String md = plan.out();
        assertTrue(md.length() <= 65_536, "fits a GitHub comment: " + md.length());
        Structure s = Structure.of(md);
        assertTrue(md.contains("**Plan:** " + domains + " to add"), md.substring(0, 300));
        assertTrue(s.rows.size() > 0 && s.details.size() > 0 && s.details.size() < domains, s.details.size() + "");
        assertTrue(md.contains("_" + s.rows.size() + " of " + domains + " changes are listed, " + s.details.size()
                + " with details"), md.substring(md.length() - 400));
    }

    @Test
    void jsonAndAnotherFormat_areRefused() throws Exception {
        QuickstartFixture fixture = new QuickstartFixture(dir);
        CliRun both = CliRun.run(Map.of("STATUS_KEY", fixture.statusKey()), "", "plan", "--json", "--format",
                "markdown", "-f", fixture.manifest().toString());
        assertEquals(1, both.exitCode(), both.toString());
        assertTrue(both.out().contains("ask for two formats"), both.toString());
    }

    private static void assertClean(String md, QuickstartFixture fixture) throws Exception {
        assertFalse(md.contains("\u001b"), "no ANSI escape");
        assertFalse(md.contains("BEGIN"), "no PEM");
        for (String line : fixture.keyMaterial()) {
            assertFalse(md.contains(line), "no private key material");
        }
    }

    /**
     * The comment read back strictly: one table (header, delimiter row, rows with the header's cell count, '|'
     * only as cell borders), then details blocks, each {@code <details><summary>..</summary>}, one fenced code
     * block, {@code </details>}, nothing left open.
     */
    private record Structure(List<String> header, List<List<String>> rows, List<String> details) {
        static Structure of(String md) {
            List<String> lines = md.lines().toList();
            List<String> header = List.of();
            List<List<String>> rows = new ArrayList<>();
            List<String> details = new ArrayList<>();
            int i = 0;
            while (i < lines.size()) {
                String line = lines.get(i);
                if (line.startsWith("|")) {
                    header = cells(line);
                    String delimiter = lines.get(++i);
                    assertTrue(delimiter.matches("\\|(\\s*:?-+:?\\s*\\|)+"), delimiter);
                    assertEquals(header.size(), cells(delimiter).size(), delimiter);
                    while (++i < lines.size() && lines.get(i).startsWith("|")) {
                        List<String> row = cells(lines.get(i));
                        assertEquals(header.size(), row.size(), lines.get(i));
                        rows.add(row);
                    }
                    continue;
                }
                if (line.startsWith("<details>")) {
                    assertTrue(line.matches("<details><summary>.*</summary>"), line);
                    StringBuilder body = new StringBuilder(line).append('\n');
                    String fence = null;
                    boolean closed = false;
                    while (++i < lines.size()) {
                        String l = lines.get(i);
                        body.append(l).append('\n');
                        if (fence == null && l.startsWith("```")) {
                            fence = l.replaceAll("[^`].*", "");
                        } else if (fence != null && l.equals(fence)) {
                            fence = "";
                        } else if (l.equals("</details>")) {
                            assertEquals("", fence, "the code block is closed before </details>");
                            closed = true;
                            break;
                        }
                    }
                    assertTrue(closed, "an open <details>: " + body);
                    details.add(body.toString());
                }
                i++;
            }
            return new Structure(header, rows, details);
        }

        /** The cells of a table row; '\|' is a '|' inside a cell. */
        static List<String> cells(String row) {
            assertTrue(row.startsWith("|") && row.endsWith("|"), row);
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            for (int i = 1; i < row.length(); i++) {
                char c = row.charAt(i);
                if (c == '\\' && i + 1 < row.length()) {
                    cell.append(row.charAt(++i));
                } else if (c == '|') {
                    cells.add(cell.toString().strip());
                    cell.setLength(0);
                } else {
                    cell.append(c);
                }
            }
            return cells;
        }
    }
}
