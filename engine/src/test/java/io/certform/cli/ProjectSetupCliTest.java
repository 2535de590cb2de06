package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Setting a project up: init, fmt, shell completion, and the launcher on the PATH. */
class ProjectSetupCliTest {

    @TempDir
    Path dir;

    private static CliRun certform(String... args) {
        return CliRun.run(Map.of(), "", args);
    }

    @Test
    void init_writesAStarterThatValidates_andAGitignore_thenNeverOverwrites() throws Exception {
        Path manifest = dir.resolve("certform.yaml");
        CliRun init = certform("init", "-f", manifest.toString());
        assertEquals(0, init.exitCode(), init.toString());
        List<String> lines = Files.readAllLines(manifest);
        assertEquals("# yaml-language-server: $schema=https://certform.io/schemas/certform.schema.json", lines.get(0));
        assertTrue(lines.stream().filter(l -> l.strip().startsWith("#")).count() > 10, "a commented starter");
        List<String> ignored = Files.readAllLines(dir.resolve(".gitignore"));
        assertTrue(ignored.containsAll(List.of("*.state.json", "*.state.json.*", ".certform/", "*.plan")), ignored.toString());

        CliRun validate = certform("validate", "-f", manifest.toString());
        assertEquals(0, validate.exitCode(), validate.toString());
        assertEquals(0, certform("fmt", "--check", manifest.toString()).exitCode(), "the starter is formatted");

        Files.writeString(manifest, "version: 1 # mine\n");
        Files.writeString(dir.resolve(".gitignore"), "target/\n");
        CliRun again = certform("init", "-f", manifest.toString());
        assertEquals(1, again.exitCode());
        assertTrue(again.err().contains("already exists; init never overwrites a file"), again.err());
        assertEquals("version: 1 # mine\n", Files.readString(manifest));
        assertEquals("target/\n", Files.readString(dir.resolve(".gitignore")));
    }

    @Test
    void init_besideAnExistingManifest_stillWritesAMissingGitignore_sayingSo() throws Exception {
        Path manifest = dir.resolve("certform.yaml");
        Files.writeString(manifest, "version: 1 # mine\n");
        CliRun init = certform("init", "-f", manifest.toString());
        assertEquals(1, init.exitCode(), init.toString());
        assertEquals("version: 1 # mine\n", Files.readString(manifest), "the manifest is never overwritten");
        assertTrue(init.err().contains("already exists; init never overwrites a file"), init.toString());
        assertEquals(InitCommand.gitignoreText(), Files.readString(dir.resolve(".gitignore")), init.toString());
        assertTrue(init.out().contains("Wrote " + dir.resolve(".gitignore")), init.toString());
    }

    @Test
    void init_withARelativePath_namesTheGitignoreAsItNamesTheManifest() throws Exception {
        Path relative = Path.of("").toAbsolutePath().relativize(dir);
        CliRun init = certform("init", "-f", relative.resolve("certform.yaml").toString());
        assertEquals(0, init.exitCode(), init.toString());
        assertTrue(init.out().contains("Wrote " + relative.resolve("certform.yaml") + ": "), init.out());
        assertTrue(init.out().contains("Wrote " + relative.resolve(".gitignore") + ": "), init.out());
        assertEquals(InitCommand.gitignoreText(), Files.readString(dir.resolve(".gitignore")));
    }

    @Test
    void init_beside_anExistingGitignore_leavesIt_andListsWhatItLacks() throws Exception {
        Files.writeString(dir.resolve(".gitignore"), "target/\n*.plan\n");
        CliRun init = certform("init", "-f", dir.resolve("certform.yaml").toString());
        assertEquals(0, init.exitCode(), init.toString());
        assertEquals("target/\n*.plan\n", Files.readString(dir.resolve(".gitignore")));
        assertTrue(init.out().contains("  *.state.json\n"), init.out());
        assertFalse(init.out().contains("  *.plan\n"), init.out());
    }

    @Test
    void fmt_check_listsAndExits3_writingNothing_thenFmtRewrites_keepingEveryComment() throws Exception {
        String messy = String.join("\r\n",
                "# the site's certificates   ",
                "version: 1",
                "provider:",
                "    endpoint: embedded   # rehearse locally",
                "    project_id: proj1",
                "certificates:",
                "    # the shop",
                "    shop:",
                "        name: shop_api_2026",
                "        cert_content: |",
                "            -----BEGIN CERTIFICATE-----",
                "              kept as written  ",
                "            -----END CERTIFICATE-----",
                "        private_key: ${env:SHOP_KEY}",
                "        domains:",
                "        -   group_id: g1   # first",
                "            domain: api.shop.example.com",
                "        - { group_id: g1, domain: www.shop.example.com }",
                "", "", "");
        Path file = dir.resolve("certform.yaml");
        Files.writeString(file, messy);

        CliRun check = certform("fmt", "-check", file.toString());
        assertEquals(3, check.exitCode(), check.toString());
        assertEquals(file + "\n", check.out());
        assertEquals(messy, Files.readString(file), "--check writes nothing");

        CliRun fmt = certform("fmt", file.toString());
        assertEquals(0, fmt.exitCode(), fmt.toString());
        assertEquals(String.join("\n",
                "# the site's certificates",
                "version: 1",
                "provider:",
                "  endpoint: embedded   # rehearse locally",
                "  project_id: proj1",
                "certificates:",
                "  # the shop",
                "  shop:",
                "    name: shop_api_2026",
                "    cert_content: |",
                "        -----BEGIN CERTIFICATE-----",
                "          kept as written  ",
                "        -----END CERTIFICATE-----",
                "    private_key: ${env:SHOP_KEY}",
                "    domains:",
                "      - group_id: g1   # first",
                "        domain: api.shop.example.com",
                "      - { group_id: g1, domain: www.shop.example.com }",
                ""), Files.readString(file));
        assertEquals(0, certform("fmt", "--check", file.toString()).exitCode());
    }

    @Test
    void fmt_ofAFileThatIsNotYaml_isAnError_andLeavesIt() throws Exception {
        Path file = dir.resolve("certform.yaml");
        Files.writeString(file, "version: [1\n");
        CliRun fmt = certform("fmt", file.toString());
        assertEquals(1, fmt.exitCode());
        assertTrue(fmt.err().contains("cannot format " + file + ": it is not valid YAML"), fmt.err());
        assertEquals("version: [1\n", Files.readString(file));
    }

    private static Path bash() {
        for (String candidate : List.of("/bin/bash", "/usr/bin/bash", "/usr/local/bin/bash")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        return null;
    }

    private static String run(Path folder, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), output);
        return process.exitValue() + "\n" + output;
    }

    @Test
    void completionScript_asksCertformForAddresses_afterTargetAndStateShow() throws Exception {
        Path bash = bash();
        assumeTrue(bash != null, "bash is not installed: the completion script cannot be exercised");
        Path script = dir.resolve("certform.bash");
        Files.writeString(script, certform("completion", "bash").out());
        // certform itself is stubbed: the test is of the script, not of __complete-addresses.
        Path driver = dir.resolve("driver.bash");
        Files.writeString(driver, """
                certform() { local IFS=_; printf '%s\\n' "called:$*" shop 'shop[api.shop.example.com]' 'status[status.example.com]'; }
                source ./certform.bash
                complete_line() { COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=();
                  _complete_certform 2>/dev/null; printf '%s|' "${COMPREPLY[@]}"; echo; }
                complete_line certform plan -f my.yaml --target sh
                complete_line certform apply -exclude st
                complete_line certform state show s
                complete_line certform plan -f my.yaml --target call
                """);
        String out = run(dir, Map.of(), bash.toString(), driver.toString());
        assertEquals(List.of("0", "shop|shop[api.shop.example.com]|", "status[status.example.com]|",
                "shop|shop[api.shop.example.com]|status[status.example.com]|",
                "called:__complete-addresses_--keys_-f_my.yaml|"), out.lines().toList(), "the line's -f is passed on");
    }

    @Test
    void completionScript_offersOnlyWhatEachCommandAccepts() throws Exception {
        Path bash = bash();
        assumeTrue(bash != null, "bash is not installed: the completion script cannot be exercised");
        Files.writeString(dir.resolve("certform.bash"), certform("completion", "bash").out());
        Path driver = dir.resolve("driver.bash");
        Files.writeString(driver, """
                certform() { printf '%s\\n' shop 'shop[api.shop.example.com]'; }
                source ./certform.bash
                complete_line() { COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=();
                  _complete_certform 2>/dev/null; printf '%s|' "${COMPREPLY[@]}"; echo; }
                complete_line certform import sh
                complete_line certform state mv s
                complete_line certform apply -replace 'shop['
                complete_line certform plan -refresh ''
                complete_line certform apply -lock f
                complete_line certform plan --format m
                complete_line certform completion ''
                complete_line certform force-unlock ''
                """);
        String out = run(dir, Map.of(), bash.toString(), driver.toString());
        assertEquals(List.of("0", "shop|shop[api.shop.example.com]|", "shop|shop[api.shop.example.com]|",
                "shop[api.shop.example.com]|", "true|false|", "false|", "markdown|", "bash|zsh|", "|"),
                out.lines().toList());
    }

    @Test
    void completionScript_asksForKeysOnlyWhereTheCommandAcceptsThem_andPassesChdirOn() throws Exception {
        Path bash = bash();
        assumeTrue(bash != null, "bash is not installed: the completion script cannot be exercised");
        Files.writeString(dir.resolve("certform.bash"), certform("completion", "bash").out());
        Path driver = dir.resolve("driver.bash");
        Files.writeString(driver, """
                certform() { local IFS=_; printf '%s\\n' "called:$*"; }
                source ./certform.bash
                complete_line() { COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=();
                  _complete_certform 2>/dev/null; printf '%s|' "${COMPREPLY[@]}"; echo; }
                complete_line certform state show call
                complete_line certform state rm call
                complete_line certform apply -replace call
                complete_line certform plan --target call
                complete_line certform apply -exclude call
                complete_line certform import call
                complete_line certform -chdir=/tmp/x plan -target call
                complete_line certform -chdir /tmp/x state show call
                complete_line certform -chdir = /tmp/x plan -f my.yaml --target call
                complete_line certform -chdir=/tmp/x pl
                complete_line certform -chdir = /tmp/x pl
                complete_line certform -chdir=/tmp/x plan -lock ''
                """);
        String out = run(dir, Map.of(), bash.toString(), driver.toString());
        assertEquals(List.of("0",
                "called:__complete-addresses|",
                "called:__complete-addresses|",
                "called:__complete-addresses|",
                "called:__complete-addresses_--keys|",
                "called:__complete-addresses_--keys|",
                "called:__complete-addresses_--keys|",
                "called:-chdir=/tmp/x___complete-addresses_--keys|",
                "called:-chdir=/tmp/x___complete-addresses|",
                "called:-chdir=/tmp/x___complete-addresses_--keys_-f_my.yaml|",
                "plan|", "plan|", "true|false|"), out.lines().toList());
    }

    @Test
    void launcher_worksThroughASymlinkOnThePath() throws Exception {
        Path bash = bash();
        assumeTrue(bash != null, "bash is not installed: the launcher cannot be run from a shell");
        Path launcher = Path.of(System.getProperty("user.dir")).resolveSibling("bin").resolve("certform");
        assertTrue(Files.isRegularFile(launcher), "bin/certform of this checkout: " + launcher);
        // A checkout elsewhere, with a built jar; the symlink on the PATH points into it through a relative link.
        Path project = dir.resolve("opt/certform");
        Files.createDirectories(project.resolve("bin"));
        Files.createDirectories(project.resolve("engine/target"));
        Files.copy(launcher, project.resolve("bin/certform"));
        Files.setPosixFilePermissions(project.resolve("bin/certform"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(project.resolve("engine/target/certform.jar"), "");
        Path onPath = Files.createDirectories(dir.resolve("home/.local/bin"));
        Files.createSymbolicLink(onPath.resolve("certform"), Path.of("../../../opt/certform/bin/certform"));
        // java is stubbed: what matters is which jar the launcher hands it.
        Path java = dir.resolve("fake-java");
        Files.writeString(java, "#!/bin/sh\necho \"java $*\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

        String out = run(dir, Map.of("JAVA", java.toString(), "PATH", onPath + ":/usr/bin:/bin"),
                bash.toString(), "-c", "certform version");
        assertTrue(out.startsWith("0\n"), out);
        assertTrue(out.contains("-jar " + project.resolve("bin").toRealPath() + "/../engine/target/certform.jar version"),
                out);
    }
}
