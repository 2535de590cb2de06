package io.certform.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The writes a test scripts, whatever the drawn faults: lost (closed without an answer and without effect), held
 * (neither carried out nor answered until the test lands or loses them), or answered with a hollow success (carried
 * out, then answered 2xx without the body the API documents). Thread-safe.
 */
final class ScriptedWrites {

    /** One write held: its fate (carried out or not) is set by the test, and {@code settled} opens once it is. */
    private static final class HeldWrite {
        final CompletableFuture<Boolean> land = new CompletableFuture<>();
        final CountDownLatch settled = new CountDownLatch(1);
    }

    /** Writes still to be lost: each is closed without an answer and without effect (see {@link #lose}). */
    private final AtomicInteger toLose = new AtomicInteger();
    /** Writes still to be held: each is held, not carried out, until the test lands or loses it ({@link #hold}). */
    private final AtomicInteger toHold = new AtomicInteger();
    /** Writes still to be answered with a hollow success ({@link #answerHollow}). */
    private final AtomicInteger toHollow = new AtomicInteger();
    private volatile Simulator.HollowAnswer hollow = Simulator.HollowAnswer.EMPTY_OBJECT;
    /** The writes held now, oldest first; guarded by itself, which is notified when one arrives. */
    private final List<HeldWrite> held = new ArrayList<>();
    /** Slow writes being held and late writes not yet landed: the handler's count, shared. */
    private final AtomicLong writesPending;

    ScriptedWrites(AtomicLong writesPending) {
        this.writesPending = writesPending;
    }

    /**
     * The next {@code count} writes (of any kind) are closed without an answer and never carried out, whatever the
     * drawn faults: a lost request, for a test that needs the one call whose answer is lost to have had no effect.
     */
    void lose(int count) {
        toLose.set(notNegative(count, "lose"));
    }

    /**
     * The next {@code count} writes (of any kind) are held, whatever the drawn faults: received and counted, neither
     * carried out nor answered, until {@link #settle} says what becomes of them. Replaces any count still pending;
     * 0 stops holding new writes (those held stay held).
     */
    void hold(int count) {
        toHold.set(notNegative(count, "hold"));
    }

    /**
     * The next {@code count} writes (of any kind) are carried out and, when the service answers a success, answered
     * {@code how} instead: a 2xx that does not say what was made. An error answer passes unchanged.
     */
    void answerHollow(int count, Simulator.HollowAnswer how) {
        hollow = java.util.Objects.requireNonNull(how, "how");
        toHollow.set(notNegative(count, "answer hollow"));
    }

    private static int notNegative(int count, String what) {
        if (count < 0) {
            throw new IllegalArgumentException("a count of writes to " + what + " cannot be negative, not " + count);
        }
        return count;
    }

    /** True when this write is to be lost (one fewer to lose). */
    boolean takeLost() {
        return toLose.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    /** True when this write is to be held (one fewer to hold). */
    boolean takeHeld() {
        return toHold.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    /** The hollow answer this write gets (one fewer to answer so), or null. */
    Simulator.HollowAnswer takeHollow() {
        return toHollow.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0 ? hollow : null;
    }

    /**
     * Holds one write on the calling worker until its fate is set: carried out by {@code carryOut} (its answer
     * returned), or lost (null).
     */
    GatewayApi.Response held(Supplier<GatewayApi.Response> carryOut) {
        HeldWrite write = new HeldWrite();
        writesPending.incrementAndGet();
        try {
            synchronized (held) {
                held.add(write);
                held.notifyAll();
            }
            boolean land;
            try {
                land = write.land.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the simulator is closing: the write never lands
                land = false;
            } catch (ExecutionException e) {
                land = false;
            }
            return land ? carryOut.get() : null;
        } finally {
            writesPending.decrementAndGet();
            write.settled.countDown();
        }
    }

    /** Waits until {@code count} writes are held at once, at most {@code limit}; true when they are. */
    boolean awaitHeld(int count, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (held) {
            while (held.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(held, left);
            }
            return true;
        }
    }

    /**
     * Sets the fate of the oldest {@code count} writes held now (all of them when fewer are), one after the other:
     * carried out ({@code land}) or closed without effect. Returns once each is settled (a landed write is in the
     * world); the number settled.
     */
    int settle(boolean land, int count) throws InterruptedException {
        List<HeldWrite> now;
        synchronized (held) {
            List<HeldWrite> oldest = held.subList(0, Math.min(count, held.size()));
            now = new ArrayList<>(oldest);
            oldest.clear();
        }
        for (HeldWrite write : now) {
            write.land.complete(land);
            write.settled.await();
        }
        return now.size();
    }

    /** Loses every write held now (the simulator is closing). */
    void close() {
        synchronized (held) {
            held.forEach(write -> write.land.complete(false));
            held.clear();
        }
    }
}
