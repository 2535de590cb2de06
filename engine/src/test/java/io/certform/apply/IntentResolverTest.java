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
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every combination of call, age and remote fact: a timeout is not a "no". */
class IntentResolverTest {

    private static final Instant SENT = Instant.parse("2026-11-28T10:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(3);
    private static final Instant YOUNG = SENT.plusSeconds(30);
    private static final Instant OLD = SENT.plus(WINDOW);

    private static final ResourceState PLANNED = new ResourceState("c[a]", "c", "i", "g", "d", "a.example.com", null,
            "cert_a", "global", null, "RSA", "aa", null, null, "5a01", "2031-01-01T00:00:00Z", "CA");

    private static GroupDetail.Domain domain(String... sslIds) {
        return new GroupDetail.Domain("d", "a.example.com", sslIds.length == 0 ? "" : sslIds[0], "", false,
                List.of());
    }

    private static final CertificateDetail DETAIL = new CertificateDetail("new", "cert_a", "global", "a", List.of(),
            null, "2031-01-01T00:00:00Z", "5a01", "RSA", List.of(), false);

    private static final OpenCall BIND = new OpenCall("c[a]", true, PLANNED, "old", SENT);
    private static final OpenCall UNBIND = new OpenCall("c[a]", false, PLANNED, "old", SENT);

    static Stream<Arguments> cases() {
        DomainFacts carries = new DomainFacts.Carries(domain("new"), "new", DETAIL);
        DomainFacts other = new DomainFacts.CarriesOther(domain("old"), "old", null, List.of("serial"));
        DomainFacts bare = new DomainFacts.Bare(domain());
        DomainFacts gone = new DomainFacts.Gone();
        return Stream.of(
                Arguments.of("bind landed", BIND, carries, YOUNG, Verdict.ADOPTED),
                Arguments.of("bind landed, found late", BIND, carries, OLD, Verdict.ADOPTED),
                Arguments.of("bind not seen yet, young: may still land", BIND, other, YOUNG, Verdict.OPEN),
                Arguments.of("bind not seen, window passed", BIND, other, OLD, Verdict.VOIDED),
                Arguments.of("bind, bare domain, young", BIND, bare, YOUNG, Verdict.OPEN),
                Arguments.of("bind, bare domain, window passed", BIND, bare, OLD, Verdict.VOIDED),
                Arguments.of("bind, domain gone", BIND, gone, YOUNG, Verdict.VOIDED),
                Arguments.of("bind, remote unreadable, even old", BIND, null, OLD, Verdict.OPEN),
                Arguments.of("bind, no send time recorded: treated as old", new OpenCall("c[a]", true, PLANNED, "old",
                        null), bare, YOUNG, Verdict.VOIDED),
                Arguments.of("unbind took effect", UNBIND, bare, YOUNG, Verdict.UNBOUND),
                Arguments.of("unbind took effect, another certificate there now", UNBIND, carries, YOUNG,
                        Verdict.UNBOUND),
                Arguments.of("unbind, domain gone", UNBIND, gone, YOUNG, Verdict.UNBOUND),
                Arguments.of("unbind not yet, young", UNBIND, other, YOUNG, Verdict.OPEN),
                Arguments.of("unbind not done, window passed", UNBIND, other, OLD, Verdict.VOIDED),
                Arguments.of("unbind, remote unreadable", UNBIND, null, OLD, Verdict.OPEN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void resolve(String why, OpenCall call, DomainFacts seen, Instant now, Verdict expected) {
        IntentResolver.Resolution resolution = IntentResolver.resolve(call,
                IntentResolver.Seen.onDomain(call, seen, now, WINDOW), now, WINDOW);
        assertEquals(expected, resolution.verdict(), resolution.why());
        if (expected == Verdict.ADOPTED) {
            assertEquals("new", resolution.adopted().sslId());
        }
    }
}
