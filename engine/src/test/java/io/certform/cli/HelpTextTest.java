package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Help text wraps between words: a dotted name (.gitignore, certform.yaml, docs/authentication.md) stays whole. */
class HelpTextTest {

    /** The help of {@code args}, with each line break and the indentation after it read as one space. */
    private static String help(String... args) {
        CliRun run = CliRun.run(Map.of(), "", args);
        assertEquals(0, run.exitCode(), run.toString());
        return run.out().replaceAll("\\s*\\n\\s*", " ");
    }

    @Test
    void help_neverBreaksALineInsideADottedWord() {
        assertTrue(help("--help").contains("manifest and a .gitignore beside it."), help("--help"));
        String plan = help("plan", "--help");
        assertTrue(plan.contains("~/.huaweicloud/credentials; see docs/authentication.md)."), plan);
        String apply = help("apply", "--help");
        assertTrue(apply.contains("(overrides rollout.verify)"), apply);
        assertTrue(apply.contains("e.g. 1,10%,100%;"), apply);
        for (String line : CliRun.run(Map.of(), "", "apply", "--help").out().split("\n")) {
            assertTrue(line.length() <= 80, "help keeps to 80 columns: " + line);
        }
    }

    @Test
    void lineEnd_breaksAtTheLastSpaceThatFits_orCutsAWordLongerThanTheLine() {
        assertEquals(7, WordWrappingHelp.WordTable.lineEnd("write a .gitignore", 0, 10));
        assertEquals(18, WordWrappingHelp.WordTable.lineEnd("write a .gitignore", 0, 18));
        assertEquals(5, WordWrappingHelp.WordTable.lineEnd("abcdefghij", 0, 5));
        assertEquals(13, WordWrappingHelp.WordTable.lineEnd("certform.yaml in the folder", 0, 16));
    }
}
