package io.certform.state;

/** The contract, in memory. */
class InMemoryStateStoreTest extends StateStoreContract {

    private InMemoryStateStore store;

    @Override
    protected StateStore store(long compactAt) {
        if (store == null) {
            store = new InMemoryStateStore("1.0", clock, sleeper, compactAt);
        }
        return store;
    }
}
