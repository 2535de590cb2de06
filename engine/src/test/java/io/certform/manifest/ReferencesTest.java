package io.certform.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.Environment;
import io.certform.diag.Diagnostic;
import io.certform.diag.Diagnostics;
import io.certform.base.SourceRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link References#resolve}'s shortcut for a value that is one reference gives what the pattern gives. */
class ReferencesTest {

    @TempDir
    Path dir;

    private final Environment environment = Map.of("A", "alpha", "B", "beta", "E", "")::get;

    @Test
    void oneReference_resolvesAsThePatternDoes() throws IOException {
        Files.writeString(dir.resolve("x"), "file text");
        Files.createDirectories(dir.resolve("d"));
        List<String> inputs = new ArrayList<>(List.of("${env:A}", "${env: A }", "${env:A }", "${env:E}", "${file:x}",
                "${file: x }", "${file:d}", "${file:missing}", "${env:}", "${env}", "${file}", "${file:}", "${}",
                "${:}", "${:A}", "${foo:bar}", "${env:MISSING}", "${env:A}}", "${env:A", "$${env:A}", "x${env:A}",
                "${env:A}x", "${env:A}${env:B}", "${env:A$}", "${env:$A}", "${env:A}$", "${{env:A}", "${env:{A}",
                "${ENV:A}", "${env:A:B}", "${file:x}\n", " ${env:A}", "${env:A} ", "plain", "", "$", "${", "}"));
        Random random = new Random(7);
        String alphabet = "${}:enviflAx $";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder(random.nextBoolean() ? "${" : "");
            int n = random.nextInt(12);
            for (int j = 0; j < n; j++) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            if (random.nextBoolean()) {
                s.append('}');
            }
            inputs.add(s.toString());
        }
        int shortcut = 0;
        for (String raw : inputs) {
            Diagnostics viaResolve = new Diagnostics();
            Diagnostics viaPattern = new Diagnostics();
            SourceRange at = new SourceRange("certform.yaml", 3, 5);
            References.Resolved a = new References(dir, environment, viaResolve).resolve(raw, at, "v");
            References.Resolved b = new References(dir, environment, viaPattern).matched(raw, at, "v");
            assertEquals(b, a, raw);
            assertEquals(rendered(viaPattern), rendered(viaResolve), raw);
            shortcut += raw.startsWith("${") && raw.indexOf('}') == raw.length() - 1 && raw.indexOf('$', 1) < 0
                    ? 1 : 0;
        }
        assertTrue(shortcut > 1000, "only " + shortcut + " values took the shortcut");
    }

    private static String rendered(Diagnostics diagnostics) {
        return diagnostics.all().stream().map(d -> d.headline() + " | " + d.detail())
                .collect(Collectors.joining("\n"));
    }
}
