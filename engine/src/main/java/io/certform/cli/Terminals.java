package io.certform.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether standard output and standard error are terminals. Java 17 cannot ask about one stream, so the launcher
 * ({@code bin/certform}) tells, with {@code -Dcertform.stdout.terminal} and {@code -Dcertform.stderr.terminal};
 * without it, Linux's {@code /proc/self/fd} answers, and elsewhere a stream counts as a terminal only when the JVM
 * has a console (standard output) or never (standard error).
 */
final class Terminals {

    private Terminals() {
    }

    static boolean stdout() {
        return decide("certform.stdout.terminal", 1, System.console() != null);
    }

    static boolean stdin() {
        return decide("certform.stdin.terminal", 0, System.console() != null);
    }

    static boolean stderr() {
        return decide("certform.stderr.terminal", 2, false);
    }

    private static boolean decide(String property, int fd, boolean otherwise) {
        String told = System.getProperty(property);
        if (told != null && !told.isBlank()) {
            return Boolean.parseBoolean(told.trim());
        }
        Path link = Path.of("/proc/self/fd/" + fd);
        if (Files.isSymbolicLink(link)) {
            try {
                String target = Files.readSymbolicLink(link).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException e) {
                return otherwise;
            }
        }
        return otherwise;
    }
}
