package io.certform.base;

/**
 * The machine ran out of something certform needs: heap memory, disk space or file handles. That is neither a bug
 * nor the remote side's doing, so a run that meets it stops the way an interrupt stops it (no new call, the calls
 * in flight settled, everything recorded) and says what ran out and what to do.
 */
public enum Exhaustion {
    /** An {@link OutOfMemoryError}: the Java heap (or direct memory) is full. */
    MEMORY,
    /** A write failed with "No space left on device" or "Disk quota exceeded". */
    DISK,
    /** "Too many open files": the process's file-handle limit is reached (files or sockets). */
    FILES;

    private static final int DEEPEST_CAUSE = 16;

    /** What ran out in {@code failure} or one of its causes, or null when it is something else. */
    public static Exhaustion of(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < DEEPEST_CAUSE; depth++, t = t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return MEMORY;
            }
            Exhaustion named = named(t.getMessage());
            if (named != null) {
                return named;
            }
        }
        return null;
    }

    /** What an operating-system error message (as Java relays it) says ran out, or null. */
    public static Exhaustion named(String message) {
        if (message == null) {
            return null;
        }
        if (message.contains("No space left on device") || message.contains("Disk quota exceeded")) {
            return DISK;
        }
        if (message.contains("Too many open files")) {
            return FILES;
        }
        return null;
    }

    /** What ran out, in a few words: "certform ran out of memory (a Java heap of 256 MiB)". */
    public String cause() {
        return switch (this) {
            case MEMORY -> "certform ran out of memory (a Java heap of " + heapMiB() + " MiB)";
            case DISK -> "the disk is full (No space left on device)";
            case FILES -> "certform ran out of file handles (Too many open files)";
        };
    }

    /** What to do about it, as an imperative clause. */
    public String remedy() {
        return switch (this) {
            case MEMORY -> "give it more with CERTFORM_JAVA_OPTS=-Xmx" + suggestedHeap()
                    + " (or lower --parallelism)";
            case DISK -> "free space on the disk that holds the state";
            case FILES -> "raise the limit (ulimit -n) or lower --parallelism";
        };
    }

    /** The Java heap's limit in MiB: as {@code -Xmx} set it, else as the JVM reports it. */
    static long heapMiB() {
        try {
            java.util.List<String> arguments = java.lang.management.ManagementFactory.getRuntimeMXBean()
                    .getInputArguments();
            for (int i = arguments.size() - 1; i >= 0; i--) {
                if (arguments.get(i).startsWith("-Xmx")) {
                    return parseMiB(arguments.get(i).substring(4));
                }
            }
        } catch (RuntimeException | LinkageError unavailable) {
            // without the management module: the JVM's own figure below
        }
        return Runtime.getRuntime().maxMemory() >> 20;
    }

    /** {@code 256m}, {@code 1g}, {@code 268435456} (bytes) in MiB. */
    static long parseMiB(String size) {
        String s = size.trim().toLowerCase(java.util.Locale.ROOT);
        long unit = 1;
        char last = s.isEmpty() ? '0' : s.charAt(s.length() - 1);
        if (last == 'k' || last == 'm' || last == 'g' || last == 't') {
            unit = last == 'k' ? 1L << 10 : last == 'm' ? 1L << 20 : last == 'g' ? 1L << 30 : 1L << 40;
            s = s.substring(0, s.length() - 1);
        }
        try {
            return Long.parseLong(s) * unit >> 20;
        } catch (NumberFormatException e) {
            return Runtime.getRuntime().maxMemory() >> 20;
        }
    }

    /** Twice the heap, at least 1 GiB, as {@code -Xmx} writes it. */
    static String suggestedHeap() {
        long mib = Math.max(1024, 2 * heapMiB());
        return mib % 1024 == 0 ? (mib / 1024) + "g" : mib + "m";
    }
}
