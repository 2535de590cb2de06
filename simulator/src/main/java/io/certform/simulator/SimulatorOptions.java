package io.certform.simulator;

import java.time.Clock;
import java.util.Set;

/**
 * How a simulator behaves.
 *
 * @param tokens         tokens accepted for reads and writes; empty means any non-empty token is accepted
 * @param readOnlyTokens tokens accepted for reads only (a write answers 403 APIG.1005)
 * @param onExisting     what a second add on a domain with a certificate does
 * @param seed           seed of the id generator, so that a run can be reproduced
 * @param clock          the simulator's notion of now (certificate expiry)
 * @param faults         misbehaviour of the certificate calls
 */
public record SimulatorOptions(Set<String> tokens, Set<String> readOnlyTokens, OnExisting onExisting, long seed,
                               Clock clock, Faults faults) {
    public SimulatorOptions {
        tokens = Set.copyOf(tokens);
        readOnlyTokens = Set.copyOf(readOnlyTokens);
        if (onExisting == null) {
            onExisting = OnExisting.REPLACE;
        }
        if (clock == null) {
            clock = Clock.systemUTC();
        }
        if (faults == null) {
            faults = Faults.none();
        }
    }

    public static SimulatorOptions defaults() {
        return new SimulatorOptions(Set.of(), Set.of(), OnExisting.REPLACE, System.nanoTime(), Clock.systemUTC(),
                Faults.none());
    }

    public SimulatorOptions withTokens(Set<String> accepted) {
        return new SimulatorOptions(accepted, readOnlyTokens, onExisting, seed, clock, faults);
    }

    public SimulatorOptions withOnExisting(OnExisting value) {
        return new SimulatorOptions(tokens, readOnlyTokens, value, seed, clock, faults);
    }

    public SimulatorOptions withReadOnlyTokens(Set<String> value) {
        return new SimulatorOptions(tokens, value, onExisting, seed, clock, faults);
    }

    public SimulatorOptions withSeed(long value) {
        return new SimulatorOptions(tokens, readOnlyTokens, onExisting, value, clock, faults);
    }

    public SimulatorOptions withClock(Clock value) {
        return new SimulatorOptions(tokens, readOnlyTokens, onExisting, seed, value, faults);
    }

    public SimulatorOptions withFaults(Faults value) {
        return new SimulatorOptions(tokens, readOnlyTokens, onExisting, seed, clock, value);
    }
}
