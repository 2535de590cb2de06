package io.certform.cli.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.api.ApiException;
import io.certform.plan.Action;
import io.certform.plan.Plan;
import io.certform.plan.Reason;
import io.certform.plan.ResourceChange;
import io.certform.state.ResourceState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a person sees during an apply: heartbeats for a slow call, a progress line (not a flood) for a big run. */
class HumanApplyViewTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    private final StringWriter text = new StringWriter();
    private final PrintWriter out = new PrintWriter(text);

    private static ResourceChange delete(int i) {
        ResourceState r = new ResourceState("c[d" + i + "]", "c", "i", "g", "d" + i, "d" + i + ".example.com",
                "s" + i, "n", "global", null, "RSA", "aa", null, null, "01", "2031-01-01T00:00:00Z", "CA");
        return new ResourceChange(r.address(), Action.DELETE, Set.of(Reason.DESTROY_REQUESTED), r, null);
    }

    private HumanApplyView view(int changes) {
        List<ResourceChange> all = new ArrayList<>();
        for (int i = 0; i < changes; i++) {
            all.add(delete(i));
        }
        HumanApplyView view = new HumanApplyView(out, out, new Style(false), "destroy",
                Clock.fixed(T0, ZoneOffset.UTC));
        view.planned(new Plan(all, "l", 1), Map.of(), T0);
        text.getBuffer().setLength(0);
        return view;
    }

    @Test
    void smallApply_slowCall_getsAHeartbeat() {
        HumanApplyView view = view(3);
        view.started(delete(0));
        view.tick(T0.plusSeconds(5));
        assertFalse(text.toString().contains("Still"), "no heartbeat before 10s: " + text);
        view.tick(T0.plusSeconds(21));
        assertTrue(text.toString().contains("c[d0]: Still destroying... [20s elapsed]"), text.toString());
        view.completed(delete(0), null, Duration.ofSeconds(22), null);
        text.getBuffer().setLength(0);
        view.tick(T0.plusSeconds(31));
        assertFalse(text.toString().contains("Still"), "a finished call beats no more: " + text);
    }

    @Test
    void largeApply_printsProgressLines_andOneLinePerFailure_notOnePerEvent() {
        int changes = HumanApplyView.DETAILED_UP_TO + 50;
        HumanApplyView view = view(changes);
        view.startTicking();
        for (int i = 0; i < changes; i++) {
            view.started(delete(i));
            if (i == 7) {
                view.failed(delete(i), new ApiException(400, "APIG.2106", "invalid", null));
            } else {
                view.completed(delete(i), null, Duration.ofMillis(20), null);
            }
        }
        view.tick(T0.plusSeconds(6));
        String shown = text.toString();
        assertEquals(0, shown.lines().filter(l -> l.contains("Destroying...") || l.contains("complete after")).count(),
                shown);
        assertTrue(shown.contains("c[d7]: failed: APIG.2106"), shown);
        assertTrue(shown.contains("Progress: " + (changes - 1) + "/" + changes + " done, 1 failed"), shown);
    }

    @Test
    void largeApply_onATerminal_redrawsOneBarInPlace_andPrintsFailuresOnLinesOfTheirOwn() {
        int changes = HumanApplyView.DETAILED_UP_TO + 50;
        HumanApplyView view = view(changes).onTerminal(true);
        view.startTicking();
        for (int i = 0; i < 40; i++) {
            view.started(delete(i));
            view.completed(delete(i), null, Duration.ofMillis(20), null);
        }
        view.tick(T0.plusSeconds(2));
        view.failed(delete(40), new ApiException(400, "APIG.2106", "invalid", null));
        view.tick(T0.plusSeconds(4));
        String shown = text.toString();
        assertTrue(shown.startsWith("\r[#########..............."
                + "] 40/" + changes + "  40%  20/s  ETA 3s  0 failed  0 retries  0 throttled\033[K"), shown);
        assertTrue(shown.contains("\033[K\r\033[Kc[d40]: failed: APIG.2106"), shown);
        assertTrue(shown.endsWith("\r[#########...............] 41/" + changes + "  41%  10/s  ETA 6s  1 failed"
                + "  0 retries  0 throttled\033[K"), shown);
        assertEquals(1, shown.chars().filter(c -> c == '\n').count(),
                "the bar stays on one line; the failure has its own: " + shown);
    }
}
