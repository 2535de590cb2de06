package io.certform.base;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named moments at which a test can kill the process, to prove that what is on disk at that moment is enough.
 * When the environment variable {@code CERTFORM_CRASH_AT} is {@code name} or {@code name:N}, the Nth time (first
 * by default) the point {@code name} is reached the process halts at once, as {@code kill -9} would: no shutdown
 * hook, no flush. Otherwise a point costs one volatile read.
 */
public final class CrashPoint {

    /** The environment variable that arms a crash point. */
    public static final String VARIABLE = "CERTFORM_CRASH_AT";

    /** The exit status of a halted process (as after SIGKILL). */
    public static final int STATUS = 137;

    private static final Points POINTS = new Points(Target.parse(System.getenv(VARIABLE)),
            () -> Runtime.getRuntime().halt(STATUS));

    private CrashPoint() {
    }

    /** Marks that the point {@code name} is reached; halts the process if it is the armed one. */
    public static void reach(String name) {
        POINTS.reach(name);
    }

    /**
     * The crash points of one process: with no target nothing is armed, and reaching a point neither counts nor
     * halts; with one, the {@code count}th time its name is reached {@code halt} runs, once.
     */
    static final class Points {
        private final Target target;
        private final Runnable halt;
        private volatile boolean armed;
        private final AtomicInteger reached = new AtomicInteger();

        /** @param target null: nothing armed */
        Points(Target target, Runnable halt) {
            this.target = target;
            this.halt = halt;
            this.armed = target != null;
        }

        void reach(String name) {
            if (!armed) {
                return;
            }
            if (target.name().equals(name) && reached.incrementAndGet() == target.count()) {
                armed = false;
                halt.run();
            }
        }

        /** How many times the armed point has been reached. */
        int reached() {
            return reached.get();
        }
    }

    /**
     * An armed point: halt the {@code count}th time {@code name} is reached.
     */
    record Target(String name, int count) {
        /** {@code name} or {@code name:N} with N at least 1; null (nothing armed) when unset or malformed. */
        static Target parse(String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            int colon = value.lastIndexOf(':');
            if (colon < 0) {
                return new Target(value.trim(), 1);
            }
            try {
                int count = Integer.parseInt(value.substring(colon + 1).trim());
                return count < 1 ? null : new Target(value.substring(0, colon).trim(), count);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
