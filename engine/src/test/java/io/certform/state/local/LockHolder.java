package io.certform.state.local;

import io.certform.state.StateStore;
import java.nio.file.Path;
import java.time.Duration;

/** Takes the state lock of the state file {@code args[0]}, says "locked", and holds it until killed. */
final class LockHolder {

    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        StateStore.Held held = new LocalStateStore(Path.of(args[0]), "t").lock("apply", Duration.ZERO);
        System.out.println("locked " + held.lock().id());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
