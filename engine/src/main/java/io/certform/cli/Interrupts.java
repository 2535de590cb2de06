package io.certform.cli;

import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C and SIGTERM during an apply: the first asks the run to stop starting new calls (a write still waiting for
 * its rate slot, the concurrency limit or a back-off is not sent, and has no intent; those in flight finish and
 * everything is recorded, then certform exits 130); a second one exits at once, which loses nothing either, since
 * the intent of every call that left is already in the journal.
 */
final class Interrupts implements AutoCloseable {
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();
    private volatile boolean received;

    private Interrupts() {
    }

    /** Installs the handlers when certform owns the process; a no-op otherwise (tests drive the CLI in-process). */
    static Interrupts during(Context context, Runnable onFirst) {
        Interrupts interrupts = new Interrupts();
        if (!context.ownsProcess()) {
            return interrupts;
        }
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal signal = new Signal(name);
                SignalHandler old = Signal.handle(signal, s -> {
                    if (interrupts.received) {
                        Runtime.getRuntime().halt(Main.INTERRUPTED);
                    }
                    interrupts.received = true;
                    context.err().println();
                    context.err().println("Interrupt received: no new calls are started; waiting for those in flight,"
                            + " then recording the state. Interrupt again to exit at once.");
                    context.err().flush();
                    onFirst.run();
                });
                interrupts.signals.add(signal);
                interrupts.previous.add(old);
            } catch (IllegalArgumentException unsupported) {
                // a platform without this signal
            }
        }
        return interrupts;
    }

    boolean received() {
        return received;
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
