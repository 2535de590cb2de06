package io.certform.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.certform.api.CertificateDetail;
import io.certform.api.GroupDetail;
import io.certform.apply.IntentResolver.OpenCall;
import io.certform.apply.IntentResolver.Verdict;
import io.certform.remote.DomainFacts;
import io.certform.state.ResourceState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An unbind whose certificate the domain still carries, recognised by the identity rule, has not taken effect:
 * it stays open within the settle window and is voided after it, never taken for done.
 */
class IntentResolverUnbindTest {

    private static final Instant SENT = Instant.parse("2026-11-28T10:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(3);

    private static final ResourceState RECORDED = new ResourceState("c[a]", "c", "i", "g", "d", "a.example.com",
            "old", "cert_a", "global", null, "RSA", "aa", null, null, "5a01", "2031-01-01T00:00:00Z", "CA");
    private static final CertificateDetail DETAIL = new CertificateDetail("old", "cert_a", "global", "a", List.of(),
            null, "2031-01-01T00:00:00Z", "5a01", "RSA", List.of(), false);
    private static final DomainFacts STILL_THERE = new DomainFacts.Carries(
            new GroupDetail.Domain("d", "a.example.com", "old", "cert_a", false, List.of()), "old", DETAIL);

    @Test
    void anUnbindWhoseCertificateIsStillOnTheDomain_isOpenWithinTheWindow_andVoidedAfter() {
        OpenCall unbind = new OpenCall("c[a]", false, RECORDED, "old", SENT);
        IntentResolver.Resolution young = IntentResolver.resolve(unbind,
                IntentResolver.Seen.onDomain(unbind, STILL_THERE, SENT, WINDOW), SENT.plusSeconds(30), WINDOW);
        assertEquals(Verdict.OPEN, young.verdict(), young.why());
        IntentResolver.Resolution old = IntentResolver.resolve(unbind,
                IntentResolver.Seen.onDomain(unbind, STILL_THERE, SENT, WINDOW), SENT.plus(WINDOW), WINDOW);
        assertEquals(Verdict.VOIDED, old.verdict(), old.why());
        assertEquals("the certificate old is still on the domain after the settle window", old.why());
    }
}
