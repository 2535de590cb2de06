package io.certform.base;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class LibraryTextTest {

    @Test
    void clause_dropsTheLibrarysFullStop_andJoinsItsAsides() {
        assertEquals("found character '@' that cannot start any token (Do not use @ for indentation)",
                LibraryText.clause("found character '@' that cannot start any token. (Do not use @ for indentation)",
                        "x"));
        assertEquals("Connection reset", LibraryText.clause("Connection reset.\n", "x"));
        assertEquals("x", LibraryText.clause("  ", "x"));
    }

    @Test
    void clause_ofAFileSystemFailure_saysWhatHappened_notJustThePath() {
        assertEquals("no such file /tmp/w.json", LibraryText.clause(new NoSuchFileException("/tmp/w.json")));
        assertEquals("permission denied on /tmp/w.json", LibraryText.clause(new AccessDeniedException("/tmp/w.json")));
        assertEquals("IllegalStateException", LibraryText.clause(new IllegalStateException()));
    }

    @Test
    void sentence_capitalisesOnce_andEndsWithOneFullStop() {
        assertEquals("While scanning a simple key.", LibraryText.sentence("while scanning a simple key"));
        assertEquals("Illegal character in authority at index 8.",
                LibraryText.sentence("Illegal character in authority at index 8."));
        assertEquals("", LibraryText.sentence(null));
    }
}
