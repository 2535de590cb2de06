package io.certform.base;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.SocketException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

class ExhaustionTest {

    @Test
    void whatRanOut_isFoundInTheFailureOrItsCauses() {
        assertEquals(Exhaustion.MEMORY, Exhaustion.of(new OutOfMemoryError("Java heap space")));
        assertEquals(Exhaustion.MEMORY, Exhaustion.of(new IllegalStateException("apply worker failed",
                new OutOfMemoryError("Direct buffer memory"))));
        assertEquals(Exhaustion.DISK, Exhaustion.of(new IOException("No space left on device")));
        assertEquals(Exhaustion.DISK, Exhaustion.of(new RuntimeException("cannot append",
                new FileSystemException("/s/.certform.state.json.1.tmp: Disk quota exceeded"))));
        assertEquals(Exhaustion.FILES, Exhaustion.of(new SocketException("Too many open files")));
        assertNull(Exhaustion.of(new IOException("Connection reset")));
        assertNull(Exhaustion.of(new IllegalStateException("apply worker failed", new NullPointerException())));
        assertNull(Exhaustion.of(null));
    }

    @Test
    void theHeapIsNamedAsXmxWritesIt() {
        assertEquals(256, Exhaustion.parseMiB("256m"));
        assertEquals(256, Exhaustion.parseMiB("256M"));
        assertEquals(1024, Exhaustion.parseMiB("1g"));
        assertEquals(256, Exhaustion.parseMiB("268435456"));
        assertEquals(2, Exhaustion.parseMiB("2048k"));
    }

    @Test
    void anIoFaultIsArmedOnlyByAWellFormedValue() {
        assertArrayEquals(new String[] {"write", "100", "No space left on device"},
                IoFault.parse("write:100:No space left on device"));
        assertArrayEquals(new String[] {"connect", "1", "a: b"}, IoFault.parse("connect:1:a: b"));
        assertNull(IoFault.parse(null));
        assertNull(IoFault.parse("write:0:No space"));
        assertNull(IoFault.parse("write:x:No space"));
        assertNull(IoFault.parse("write:3"));
        assertNull(IoFault.parse("write:3: "));
    }
}
