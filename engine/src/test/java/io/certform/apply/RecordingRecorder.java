package io.certform.apply;

import io.certform.state.JournalRecord;
import io.certform.state.RunRecorder;
import io.certform.state.State;
import java.util.ArrayList;
import java.util.List;

/** A run recorder in memory that keeps what it is told, in order: the intents, the results and the voided calls. */
final class RecordingRecorder implements RunRecorder {
    final List<JournalRecord.Intent> intents = new ArrayList<>();
    final List<JournalRecord.Done> done = new ArrayList<>();
    final List<String> voided = new ArrayList<>();

    @Override
    public synchronized void intend(JournalRecord.Intent intent) {
        intents.add(intent);
    }

    @Override
    public synchronized void done(JournalRecord.Done result) {
        done.add(result);
    }

    @Override
    public synchronized void voided(JournalRecord.Voided call) {
        voided.add(call.key());
    }

    @Override
    public State finish() {
        throw new UnsupportedOperationException();
    }

    @Override
    public synchronized int openIntents() {
        return intents.size();
    }

    @Override
    public synchronized List<JournalRecord.Intent> open() {
        return List.copyOf(intents);
    }

    @Override
    public Stats stats() {
        return new Stats(0, 0, 0, 0);
    }

    @Override
    public void close() {
    }
}
