package io.certform.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball, unpacked into an empty folder, runs certform with no JDK anywhere on the PATH: {@code version}, and
 * the quickstart applied on the embedded simulator; it carries its man pages, completion, docs, schemas and examples,
 * and a runtime of only the modules certform uses.
 */
class DistributionTest {

    @TempDir
    static Path dir;
    static Path home;
    /** A PATH of the few tools the launcher uses, and no java. */
    static Path tools;

    @BeforeAll
    static void unpack() throws Exception {
        Path tarball = Path.of(System.getProperty("dist.tarball"));
        assertTrue(Files.isRegularFile(tarball), "built by the package phase: " + tarball);
        Path unpacked = Files.createDirectories(dir.resolve("opt"));
        Result tar = run(List.of("tar", "-xzf", tarball.toString(), "-C", unpacked.toString()), unpacked,
                System.getenv("PATH"));
        assertEquals(0, tar.code, tar.toString());
        home = unpacked.resolve("certform-" + System.getProperty("dist.version"));
        try (Stream<Path> shipped = Files.walk(home.resolve("examples"))) {
            List<Path> leftovers = shipped.filter(p -> p.getFileName().toString().equals(".certform")
                    || p.getFileName().toString().contains(".state.json")).toList();
            assertEquals(List.of(), leftovers, "the examples ship without a state or a simulator world");
        }
        tools = Files.createDirectories(dir.resolve("tools"));
        for (String tool : List.of("sh", "dirname", "readlink", "cat", "cksum", "mkdir", "mv", "rm")) {
            Path real = Stream.of("/bin/", "/usr/bin/").map(p -> Path.of(p + tool)).filter(Files::isExecutable)
                    .findFirst().orElseThrow();
            Files.createSymbolicLink(tools.resolve(tool), real);
        }
    }

    record Result(int code, String out) {
    }

    static Result run(List<String> command, Path cwd, String path) throws IOException, InterruptedException {
        return run(command, cwd, path, Map.of());
    }

    static Result run(List<String> command, Path cwd, String path, Map<String, String> extra)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("JAVA") || k.startsWith("JDK") || k.startsWith("CERTFORM")
                || k.startsWith("XDG_") || k.equals("CLASSPATH") || k.equals("MAVEN_OPTS"));
        env.put("PATH", path);
        env.put("HOME", cwd.toString());
        env.putAll(extra);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "still running: " + command);
        return new Result(p.exitValue(), out);
    }

    private static Result certform(Path cwd, String... args) throws IOException, InterruptedException {
        return certform(Map.of(), cwd, args);
    }

    private static Result certform(Map<String, String> env, Path cwd, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/certform").toString()));
        command.addAll(List.of(args));
        return run(command, cwd, tools.toString(), env);
    }

    @Test
    void thePathHoldsNoJava() throws Exception {
        Result which = run(List.of(tools.resolve("sh").toString(), "-c", "command -v java"), dir, tools.toString());
        assertNotEquals(0, which.code, which.out);
    }

    @Test
    void version_runsOnTheBundledRuntime() throws Exception {
        Result version = certform(dir, "version");
        assertEquals(0, version.code, version.out);
        assertTrue(version.out.contains(System.getProperty("dist.version").replace("-SNAPSHOT", "")), version.out);
    }

    @Test
    void quickstart_appliesOnTheEmbeddedSimulator_thenHasNothingToDo() throws Exception {
        Path quickstart = home.resolve("examples/quickstart");
        Result apply = certform(quickstart, "apply", "--auto-approve", "--no-color");
        assertEquals(0, apply.code, apply.out);
        assertTrue(apply.out.contains("3 added, 0 changed, 0 destroyed"), apply.out);
        Result plan = certform(quickstart, "plan", "--detailed-exitcode", "--no-color");
        assertEquals(0, plan.code, plan.out);
        assertTrue(plan.out.contains("No changes."), plan.out);
    }

    @Test
    void tarball_carriesManPagesCompletionDocsSchemasExamples_andTheRuntimesClassDataArchive() throws Exception {
        for (String file : List.of("share/man/man1/certform.1", "share/man/man1/certform-plan.1",
                "share/man/man1/certform-state-list.1", "share/completion/certform.bash",
                "share/completion/certform.zsh", "docs/cli.md", "docs/ci.md", "schemas/certform.schema.json",
                "examples/quickstart/certform.yaml", "examples/api-gateway/certform.yaml", "README.md",
                "lib/certform.jar", "lib/certform.version", "runtime/lib/server/classes.jsa")) {
            assertTrue(Files.isRegularFile(home.resolve(file)), file);
        }
        String man = Files.readString(home.resolve("share/man/man1/certform-plan.1"));
        assertTrue(man.startsWith(".TH CERTFORM-PLAN 1"), man);
        assertTrue(man.contains("\\fB\\-\\-format, \\-format\\fR \\fIFORMAT\\fR"), man);
        assertTrue(Files.readString(home.resolve("share/completion/certform.bash")).contains("complete -F"));
    }

    /**
     * The tarball is unpacked here, not where it was built: the first command past start-up makes the class-data
     * archive of certform's classes in the user's cache, and the next run maps it (the JVM's own class-loading log
     * says where each class came from). It is made again when the jar is newer.
     */
    @Test
    void launcher_makesItsClassDataArchiveInTheUsersCache_andUsesItFromThere() throws Exception {
        Path cache = dir.resolve("cache");
        Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString());
        Path quickstart = home.resolve("examples/quickstart");
        Result version = certform(env, dir, "version");
        assertEquals(0, version.code, version.out);
        assertFalse(Files.exists(cache), "version alone is too small a training run");
        Result validate = certform(env, quickstart, "validate", "--no-color");
        assertEquals(0, validate.code, validate.out);
        Path folder = cache.resolve("certform").resolve(System.getProperty("dist.version"));
        List<Path> archives;
        try (Stream<Path> files = Files.list(folder)) {
            archives = files.toList();
        }
        assertEquals(1, archives.size(), "one archive, renamed into place: " + archives);
        Path archive = archives.get(0);
        assertTrue(archive.getFileName().toString().matches("certform-[0-9]+\\.jsa"), archive.toString());

        Map<String, String> logged = Map.of("XDG_CACHE_HOME", cache.toString(),
                "CERTFORM_JAVA_OPTS", "-Xlog:class+load=info");
        Result mapped = certform(logged, dir, "version");
        assertEquals(0, mapped.code, mapped.out);
        assertTrue(mapped.out.contains("io.certform.cli.Main source: shared objects file (top)"),
                "certform's classes come from the archive in the cache: " + mapped.out.lines()
                        .filter(l -> l.contains("io.certform.cli.Main ")).toList());

        // a newer jar (an upgrade in place) makes the archive again
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(home.resolve("lib/certform.jar")).toMillis() - 3_600_000);
        Files.setLastModifiedTime(archive, old);
        assertEquals(0, certform(env, quickstart, "validate", "--no-color").code);
        assertTrue(Files.getLastModifiedTime(archive).compareTo(old) > 0, "made again");
    }

    @Test
    void launcher_withACacheItCannotWrite_runsAsWell() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        Result validate = certform(Map.of("XDG_CACHE_HOME", file.toString()), home.resolve("examples/quickstart"),
                "validate", "--no-color");
        assertEquals(0, validate.code, validate.out);
        assertFalse(validate.out.contains("shared archive") || validate.out.contains("mkdir"), validate.out);
        assertEquals("x", Files.readString(file));
    }

    @Test
    void launcher_withJvmOptionsOfTheUsers_makesNoArchive_andRuns() throws Exception {
        Path cache = dir.resolve("cache-with-options");
        // sharing turned off: a JVM asked to dump an archive as well would refuse to start
        Result validate = certform(Map.of("XDG_CACHE_HOME", cache.toString(), "CERTFORM_JAVA_OPTS", "-Xshare:off"),
                home.resolve("examples/quickstart"), "validate", "--no-color");
        assertEquals(0, validate.code, validate.out);
        assertFalse(Files.exists(cache), "no archive is made under the user's JVM options");
    }

    @Test
    void runtime_holdsOnlyTheModulesJdepsFound() throws Exception {
        Result modules = run(List.of(home.resolve("runtime/bin/java").toString(), "--list-modules"), dir,
                tools.toString());
        assertEquals(0, modules.code, modules.out);
        List<String> listed = modules.out.lines().map(l -> l.replaceAll("@.*", "")).sorted().toList();
        List<String> expected = Files.readAllLines(home.resolve("runtime/certform-modules.txt")).stream()
                .filter(l -> !l.isBlank()).toList();
        assertTrue(listed.containsAll(expected), listed + " / " + expected);
        assertTrue(listed.contains("jdk.crypto.ec"), "TLS needs the EC provider: " + listed);
        assertFalse(listed.contains("java.compiler") || listed.contains("jdk.jshell") || listed.contains("java.se"),
                "only what certform uses: " + listed);
    }
}
