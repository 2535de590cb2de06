package io.certform.state.local;

import io.certform.state.StateStore;
import io.certform.state.StateStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contract, on a local file: every call is a new handle on the same file. */
class LocalStateStoreContractTest extends StateStoreContract {

    @TempDir
    Path dir;

    private Long compactAt;

    @Override
    protected StateStore store(long compactAt) {
        if (this.compactAt == null) {
            this.compactAt = compactAt;
        }
        return new LocalStateStore(dir.resolve("s.json"), "1.0", clock, sleeper, this.compactAt);
    }
}
