package io.certform.keystore.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.certform.keystore.KeyStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write is atomic and owner-only, and a symlink at the key store's path is replaced, never followed. */
class LocalKeyStorageSymlinkTest {

    @TempDir
    Path dir;

    @Test
    void aSymlinkAtTheKeyStoresPath_isReplaced_notFollowedToOverwriteItsTarget() throws Exception {
        Path victim = dir.resolve("victim.txt");
        byte[] original = "do not overwrite".getBytes(StandardCharsets.UTF_8);
        Files.write(victim, original);
        Path store = dir.resolve("certform.keystore.p12");
        Files.createSymbolicLink(store, victim);
        LocalKeyStorage storage = new LocalKeyStorage(store);
        KeyStorage.Stored read = storage.read();
        storage.write(new byte[] {1, 2, 3}, read.version());
        assertArrayEquals(original, Files.readAllBytes(victim), "the link's target is unchanged");
        assertFalse(Files.isSymbolicLink(store), "the link was replaced by the key store");
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(store));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store,
                LinkOption.NOFOLLOW_LINKS)));
    }
}
