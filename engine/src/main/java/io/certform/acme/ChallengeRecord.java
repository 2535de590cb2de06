package io.certform.acme;

/**
 * A dns-01 challenge record, as the journal records it: what a later run needs to remove it.
 *
 * @param domain the name the challenge is for ({@code *.example.com} or {@code example.com})
 * @param record the TXT record's name ({@code _acme-challenge.example.com.})
 * @param value  the TXT value (a digest of the key authorization; not a secret)
 */
public record ChallengeRecord(String domain, String record, String value) {
}
