package io.certform.cli;

import io.certform.simulator.Simulator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Watches a simulator for domains left without any certificate: the list of every commit that left one bare. */
final class BareDomains {

    private BareDomains() {
    }

    /** From now on, every write that leaves a domain bare adds the domain's name to the list returned. */
    static List<String> watch(Simulator simulator) {
        List<String> bare = Collections.synchronizedList(new ArrayList<>());
        simulator.world().onCommit(view -> {
            if (view.bare()) {
                bare.add(view.urlDomain());
            }
        });
        return bare;
    }
}
