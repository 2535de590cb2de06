package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * certform's picocli is the one third-party/picocli compiles at our release: class-data sharing refuses the published
 * jar's Java 5 classes, and a second picocli on the class path (info.picocli:picocli brought back, directly or by a
 * new dependency) would put two copies of its classes into the shaded jar.
 */
class PicocliClassesCliTest {

    private static final String COMMAND_LINE = "picocli/CommandLine.class";

    @Test
    void picocliIsCompiledAtOurRelease_soTheClassDataArchiveCanHoldIt() throws Exception {
        int ours = majorVersion("io/certform/cli/Main.class");
        assertEquals(ours, majorVersion(COMMAND_LINE),
                "class file major version of " + COMMAND_LINE + " (the published jar's: 49, which CDS refuses)");
    }

    @Test
    void onlyOnePicocliIsOnTheClassPath() throws Exception {
        List<URL> copies = Collections.list(CommandLine.class.getClassLoader().getResources(COMMAND_LINE));
        assertEquals(1, copies.size(), "copies of " + COMMAND_LINE + ": " + copies);
    }

    private static int majorVersion(String resource) throws IOException {
        try (InputStream in = CommandLine.class.getClassLoader().getResourceAsStream(resource)) {
            DataInputStream data = new DataInputStream(in);
            assertEquals(0xCAFEBABE, data.readInt(), resource);
            data.readUnsignedShort(); // minor version
            return data.readUnsignedShort();
        }
    }
}
