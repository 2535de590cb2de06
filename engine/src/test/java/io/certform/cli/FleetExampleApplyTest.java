package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** examples/fleet as its README runs it, from a fresh copy: apply binds on both providers, then plan has nothing. */
class FleetExampleApplyTest {

    private static final Path EXAMPLES = Path.of("..", "examples");

    @TempDir
    Path dir;

    private void copy(String example) throws IOException {
        Path from = EXAMPLES.resolve(example);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = dir.resolve(example).resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else if (!f.getFileName().toString().startsWith("certform.state")
                        && !f.toString().contains(".certform")) {
                    Files.copy(f, to);
                }
            }
        }
    }

    @Test
    void applyFromAFreshCopy_thenPlanHasNoChanges() throws Exception {
        copy("fleet");
        copy("batch-rollout"); // the demo certificate it names
        Path fleet = dir.resolve("fleet");
        CliRun apply = CliRun.runner().in(fleet).run("apply", "--auto-approve");
        assertEquals(0, apply.exitCode(), apply.toString());
        assertTrue(apply.out().contains("Apply complete!"), apply.out());
        assertTrue(apply.out().contains("  provider.eu: "), "a line per provider: " + apply.out());
        CliRun plan = CliRun.runner().in(fleet).run("plan");
        assertEquals(0, plan.exitCode(), plan.toString());
        assertTrue(plan.out().contains("No changes"), plan.out());
    }
}
