package io.certform.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.apply.IntentResolver.OpenCall;
import io.certform.apply.IntentResolver.Verdict;
import io.certform.state.JournalRecord.Op;
import io.certform.state.ResourceState;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The calls of the certificate-management model (create, update and delete a certificate resource; attach and
 * detach a domain) resolved from what their look found: the effect shows, does not show yet, does not show after
 * the settle window, or could not be looked for.
 */
class IntentResolverSharedTest {

    private static final Instant SENT = Instant.parse("2026-11-28T10:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(3);
    private static final Instant YOUNG = SENT.plus(WINDOW).minusSeconds(1);
    private static final Instant OLD = SENT.plus(WINDOW);

    private static final ResourceState PLANNED = new ResourceState("wild", "wild", null, null, null, null, null,
            "wild_2026", "global", null, "RSA", "aa", null, null, "5a01", "2031-01-01T00:00:00Z", "CA");
    private static final ResourceState FOUND = PLANNED.bound("cert-9", "wild_2026", null);

    private static OpenCall call(Op op, Instant sentAt) {
        return new OpenCall("wild", op != Op.DELETE_CERTIFICATE && op != Op.DETACH, PLANNED, null, sentAt, op);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(Op.CREATE_CERTIFICATE, true, YOUNG, Verdict.ADOPTED),
                Arguments.of(Op.UPDATE_CERTIFICATE, true, OLD, Verdict.ADOPTED),
                Arguments.of(Op.ATTACH, true, OLD, Verdict.ADOPTED),
                Arguments.of(Op.DELETE_CERTIFICATE, true, YOUNG, Verdict.UNBOUND),
                Arguments.of(Op.DETACH, true, OLD, Verdict.UNBOUND),
                Arguments.of(Op.CREATE_CERTIFICATE, false, YOUNG, Verdict.OPEN),
                Arguments.of(Op.CREATE_CERTIFICATE, false, OLD, Verdict.VOIDED),
                Arguments.of(Op.DETACH, false, YOUNG, Verdict.OPEN),
                Arguments.of(Op.DETACH, false, OLD, Verdict.VOIDED),
                Arguments.of(Op.ATTACH, null, OLD, Verdict.OPEN),
                Arguments.of(Op.DELETE_CERTIFICATE, null, OLD, Verdict.OPEN));
    }

    @ParameterizedTest(name = "{0}, effect shows: {1}, at {2} -> {3}")
    @MethodSource("cases")
    void aSharedCall_isSettledOnlyByItsEffect_orByTheSettleWindow(Op op, Boolean shows, Instant now, Verdict verdict) {
        IntentResolver.Resolution r = shared(call(op, SENT), shows, FOUND, now);
        assertEquals(verdict, r.verdict(), r.why());
        if (verdict == Verdict.ADOPTED) {
            assertSame(FOUND, r.adopted(), "the object as its look found it, with its id");
        } else {
            assertNull(r.adopted());
        }
    }

    @Test
    void aSharedCallWithoutASendTime_isTakenAsSentLongAgo() {
        IntentResolver.Resolution r = shared(call(Op.ATTACH, null), false, null, SENT);
        assertEquals(Verdict.VOIDED, r.verdict());
        assertEquals("the attach of wild did not show within the settle window (180s)", r.why());
    }

    @Test
    void whatWasSeen_isSaidInTheCallsOwnWords() {
        assertEquals("the delete-certificate of wild took effect", shared(
                call(Op.DELETE_CERTIFICATE, SENT), true, null, YOUNG).why());
        assertEquals("the create-certificate of wild took effect", shared(
                call(Op.CREATE_CERTIFICATE, SENT), true, FOUND, YOUNG).why());
        assertEquals("the remote side could not be read", shared(
                call(Op.CREATE_CERTIFICATE, SENT), null, null, OLD).why());
        assertEquals("sent less than the settle window ago: it may still take effect", shared(
                call(Op.CREATE_CERTIFICATE, SENT), false, null, YOUNG).why());
    }

    @Test
    void onlyTheCertificateManagementOps_areShared() {
        assertFalse(new OpenCall("a", true, PLANNED, null, SENT).shared());
        assertFalse(new OpenCall("a", false, PLANNED, "old", SENT).shared());
        for (Op op : new Op[] {Op.CREATE_CERTIFICATE, Op.UPDATE_CERTIFICATE, Op.DELETE_CERTIFICATE, Op.ATTACH,
            Op.DETACH}) {
            assertTrue(call(op, SENT).shared(), op.wire());
        }
    }

    private static IntentResolver.Resolution shared(OpenCall call, Boolean shows, ResourceState found, Instant now) {
        return IntentResolver.resolve(call, IntentResolver.Seen.ofEffect(call, shows, found, WINDOW), now, WINDOW);
    }
}
