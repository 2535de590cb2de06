package io.certform.acme;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The journal a caller would keep, in memory: every event in order, the order URL and the challenge records presented
 * and not yet cleaned ({@link #resume()}). With {@link #killAt(int)} it plays a process killed right after its k-th
 * durable write: the k-th event is recorded, then {@link Killed} is thrown, and from then on nothing is recorded and
 * everything throws (a dead process records and does nothing more).
 */
final class RecordingJournal implements IssueJournal {

    /** The simulated kill. */
    static final class Killed extends RuntimeException {
        Killed(String where) {
            super("killed at " + where, null, false, false);
        }
    }

    final List<String> events = new ArrayList<>();
    private String orderUrl;
    private final Set<ChallengeRecord> presented = new LinkedHashSet<>();
    private int killAt = -1;
    private boolean dead;

    RecordingJournal killAt(int event) {
        this.killAt = event;
        return this;
    }

    boolean dead() {
        return dead;
    }

    /** Throws {@link Killed} when the process is dead; used by the solver wrapper too. */
    void alive(String where) {
        if (dead) {
            throw new Killed(where + " (after the kill)");
        }
    }

    /** Counts an action as a step that may be the kill point. */
    void step(String event) {
        alive(event);
        events.add(event);
        if (events.size() == killAt) {
            dead = true;
            throw new Killed(event);
        }
    }

    @Override
    public void orderCreated(String url) {
        alive("orderCreated");
        orderUrl = url;
        step("orderCreated");
    }

    @Override
    public void challengePresenting(ChallengeRecord record) {
        alive("challengePresenting");
        presented.add(record);
        step("challengePresenting " + record.domain());
    }

    @Override
    public void challengeCleaned(ChallengeRecord record) {
        alive("challengeCleaned");
        presented.remove(record);
        step("challengeCleaned " + record.domain());
    }

    @Override
    public void finalized(String certificateUrl) {
        step("finalized");
    }

    Resume resume() {
        return new Resume(orderUrl, List.copyOf(presented));
    }

    long count(String prefix) {
        return events.stream().filter(e -> e.startsWith(prefix)).count();
    }
}
