package io.certform.acme;

import java.util.List;

/**
 * What an earlier, interrupted issuance recorded: its order, and the challenge records it presented and did not
 * record as cleaned up.
 *
 * @param orderUrl  the order to resume, or null to order anew
 * @param presented the challenge records to remove first
 */
public record Resume(String orderUrl, List<ChallengeRecord> presented) {

    public Resume {
        presented = List.copyOf(presented);
    }

    /** Nothing to resume: a fresh issuance. */
    public static Resume none() {
        return new Resume(null, List.of());
    }
}
