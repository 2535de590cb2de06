package io.certform.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StateTest {

    private static ResourceState resource(String address) {
        return new ResourceState(address, "site", "inst1", "g1", "d-" + address, address, "ssl", "site_cert", "global",
                null, "RSA", "sha", "chain", null, "1", "2031-01-01T00:00:00Z", "CA");
    }

    @Test
    void resource_findsEveryRecordedAddress_andNothingElse_whateverTheOrderGiven() {
        List<ResourceState> resources = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            resources.add(resource("site" + (i % 7) + "[d" + i + ".example.com]"));
        }
        Collections.shuffle(resources, new Random(7));
        State state = new State(State.FORMAT_VERSION, "1.0", "lineage", 3, resources);

        for (ResourceState r : resources) {
            assertEquals(r, state.resource(r.address()).orElseThrow(), r.address());
        }
        assertTrue(state.resource("site0[d1.example.com]").isEmpty());
        assertTrue(state.resource("").isEmpty());
        assertTrue(state.resource("zzz").isEmpty());
        assertTrue(State.empty("1.0").resource("site0[d0.example.com]").isEmpty());
    }
}
