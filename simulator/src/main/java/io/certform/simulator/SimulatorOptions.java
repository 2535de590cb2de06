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
 * @param keys           AK/SK pairs whose signatures are accepted, by access key
 * @param iamUsers       users that may get a token from the emulated IAM, as {@code domain/user} to password
 * @param tokenTtl       how long an IAM token is valid (then 401 APIG.1001), or null for the whole run
 * @param serialFormat   how {@code serial_number} is written in show-certificate answers
 * @param projects       the project ids that exist; any other in a path answers 404 APIG.3030; empty means any
 */
public record SimulatorOptions(Set<String> tokens, Set<String> readOnlyTokens, OnExisting onExisting, long seed,
                               Clock clock, Faults faults, java.util.Map<String, AccessKey> keys,
                               java.util.Map<String, String> iamUsers, java.time.Duration tokenTtl,
                               SerialFormat serialFormat, Set<String> projects) {

    /** An access key's secret, and the security token temporary credentials must send with it (or null). */
    public record AccessKey(String secretKey, String securityToken) {
    }
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
        keys = keys == null ? java.util.Map.of() : java.util.Map.copyOf(keys);
        iamUsers = iamUsers == null ? java.util.Map.of() : java.util.Map.copyOf(iamUsers);
        if (serialFormat == null) {
            serialFormat = SerialFormat.HEX;
        }
        projects = projects == null ? Set.of() : Set.copyOf(projects);
    }

    public static SimulatorOptions defaults() {
        return new SimulatorOptions(Set.of(), Set.of(), OnExisting.REPLACE, System.nanoTime(), Clock.systemUTC(),
                Faults.none(), null, null, null, null, null);
    }

    public SimulatorOptions withTokens(Set<String> accepted) {
        return new SimulatorOptions(accepted, readOnlyTokens, onExisting, seed, clock, faults, keys, iamUsers, tokenTtl,
                serialFormat, projects);
    }

    public SimulatorOptions withOnExisting(OnExisting value) {
        return new SimulatorOptions(tokens, readOnlyTokens, value, seed, clock, faults, keys, iamUsers, tokenTtl,
                serialFormat, projects);
    }

    public SimulatorOptions withReadOnlyTokens(Set<String> value) {
        return new SimulatorOptions(tokens, value, onExisting, seed, clock, faults, keys, iamUsers, tokenTtl,
                serialFormat, projects);
    }

    public SimulatorOptions withSeed(long value) {
        return new SimulatorOptions(tokens, readOnlyTokens, onExisting, value, clock, faults, keys, iamUsers, tokenTtl,
                serialFormat, projects);
    }

    public SimulatorOptions withClock(Clock value) {
        return new SimulatorOptions(tokens, readOnlyTokens, onExisting, seed, value, faults, keys, iamUsers, tokenTtl,
                serialFormat, projects);
    }

    public SimulatorOptions withFaults(Faults value) {
        return new SimulatorOptions(tokens, readOnlyTokens, onExisting, seed, clock, value, keys, iamUsers, tokenTtl,
                serialFormat, projects);
    }

    public SimulatorOptions withKeys(java.util.Map<String, AccessKey> value) {
        return new SimulatorOptions(tokens, readOnlyTokens, onExisting, seed, clock, faults, value, iamUsers, tokenTtl,
                serialFormat, projects);
    }

    public SimulatorOptions withIamUsers(java.util.Map<String, String> value, java.time.Duration ttl) {
        return new SimulatorOptions(tokens, readOnlyTokens, onExisting, seed, clock, faults, keys, value, ttl,
                serialFormat, projects);
    }

    public SimulatorOptions withSerialFormat(SerialFormat value) {
        return new SimulatorOptions(tokens, readOnlyTokens, onExisting, seed, clock, faults, keys, iamUsers, tokenTtl,
                value, projects);
    }

    /** Only these project ids exist; a path naming another answers 404 APIG.3030. Empty: any project exists. */
    public SimulatorOptions withProjects(Set<String> value) {
        return new SimulatorOptions(tokens, readOnlyTokens, onExisting, seed, clock, faults, keys, iamUsers, tokenTtl,
                serialFormat, value);
    }
}
