package io.certform.base;

import java.io.IOException;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named writes at which a test can make the operating system say no, to prove that running out of disk space or
 * file handles ends a run cleanly. When the environment variable {@code CERTFORM_IO_FAULT} is
 * {@code point:N:message}, the Nth time the point is reached, and every time after (a full disk stays full), it
 * throws an {@link IOException} with that message, as the operating system's error reaches Java. Points:
 * {@code write} (a journal record, a state or journal file), {@code connect} (an API call's connection, thrown
 * as a {@link SocketException}) and {@code memory} (an API write call, thrown as an {@link OutOfMemoryError}: the
 * heap running out while calls are in flight, at a known call rather than wherever a small heap gives out).
 * Otherwise a point costs one volatile read.
 */
public final class IoFault {

    /** The environment variable that arms a fault. */
    public static final String VARIABLE = "CERTFORM_IO_FAULT";

    private static final String[] TARGET = parse(System.getenv(VARIABLE));
    private static volatile boolean armed = TARGET != null;
    private static final AtomicInteger REACHED = new AtomicInteger();

    private IoFault() {
    }

    /** Whether a fault is armed (then a write may take the slower path that lets a test cut it short). */
    public static boolean armed() {
        return armed;
    }

    /** Throws the armed error if {@code point} is the armed point and has been reached N times or more. */
    public static void check(String point) throws IOException {
        if (!armed || !TARGET[0].equals(point)) {
            return;
        }
        if (REACHED.incrementAndGet() >= Integer.parseInt(TARGET[1])) {
            throw point.equals("connect") ? new SocketException(TARGET[2]) : new IOException(TARGET[2]);
        }
    }

    /** Throws the armed {@link OutOfMemoryError} if {@code memory} is armed and reached N times or more. */
    public static void allocate() {
        if (!armed || !TARGET[0].equals("memory")) {
            return;
        }
        if (REACHED.incrementAndGet() >= Integer.parseInt(TARGET[1])) {
            throw new OutOfMemoryError(TARGET[2]);
        }
    }

    /** {@code point:N:message}, N at least 1; null (nothing armed) when unset or malformed. */
    static String[] parse(String value) {
        if (value == null) {
            return null;
        }
        String[] parts = value.split(":", 3);
        try {
            return parts.length == 3 && Integer.parseInt(parts[1].trim()) >= 1 && !parts[2].isBlank()
                    ? new String[] {parts[0].trim(), parts[1].trim(), parts[2]} : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
