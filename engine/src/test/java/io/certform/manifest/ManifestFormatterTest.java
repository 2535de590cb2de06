package io.certform.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestFormatterTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            canonical stays as it is      | a:\\n  b: 1\\n  c:\\n    - x\\n                  | a:\\n  b: 1\\n  c:\\n    - x\\n
            four spaces become two        | a:\\n    b: 1\\n    c:\\n        d: 2\\n        | a:\\n  b: 1\\n  c:\\n    d: 2\\n
            a list at its key's column    | a:\\n- x\\n- y\\nb: 1\\n                      | a:\\n  - x\\n  - y\\nb: 1\\n
            dash spacing and nesting      | l:\\n  -   k: 1\\n      m: 2\\n                 | l:\\n  - k: 1\\n    m: 2\\n
            comment with the next line    | a:\\n    # about b\\n    b: 1\\n               | a:\\n  # about b\\n  b: 1\\n
            commented-out item stays      | l:\\n  - a\\n  # - b\\nm: 1\\n                   | l:\\n  - a\\n  # - b\\nm: 1\\n
            trailing spaces and blanks    | \\n\\na: 1   \\n# end  \\n\\n\\n                  | a: 1\\n# end\\n
            no final newline              | a: 1                                           | a: 1\\n
            """)
    void format_normalisesWhitespaceOnly(String name, String input, String expected) {
        ManifestFormatter.Result result = ManifestFormatter.format(input.replace("\\n", "\n"));
        assertEquals(expected.replace("\\n", "\n"), result.text(), name);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not YAML     | a: [1
            a bad indent | a:\\n  b: 1\\n c: 2
            """)
    void format_refusesWhatItCannotRead(String name, String input) {
        ManifestFormatter.Result result = ManifestFormatter.format(input.replace("\\n", "\n"));
        assertNull(result.text(), name);
        assertTrue(result.problem().contains("not valid YAML"), result.problem());
    }
}
