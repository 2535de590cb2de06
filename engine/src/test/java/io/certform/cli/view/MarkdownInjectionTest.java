package io.certform.cli.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.plan.Action;
import io.certform.plan.Drift;
import io.certform.plan.Plan;
import io.certform.plan.Reason;
import io.certform.plan.ResourceChange;
import io.certform.state.ResourceState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the gateway answers (a certificate's name as another tool or a console user wrote it) ends up in the plan
 * comment: it must not end a table row, open HTML, or carry terminal control sequences into it.
 */
class MarkdownInjectionTest {

    private static final String HOSTILE = "evil\u001b[31mred\u001b[0m\r\n| injected | row |\n</details><img src=x>";

    private static ResourceState state(String sslName) {
        return new ResourceState("shop[api.example.com]", "shop", "inst1", "grp1", "dom1", "api.example.com", "s1",
                sslName, "global", null, "RSA", "aa", null, null, "01", "2030-01-01T00:00:00Z", "CN=x", "bb", null);
    }

    @Test
    void namesFromTheRemoteSide_cannotBreakTheTable_orCarryControlCharacters() {
        ResourceChange delete = new ResourceChange("shop[api.example.com]", Action.DELETE, Set.<Reason>of(),
                state(HOSTILE), null);
        Drift drift = new Drift("shop[api.example.com]", Drift.Kind.CHANGED, state("shop_cert"), state(HOSTILE),
                List.of("name is " + HOSTILE));
        StringWriter text = new StringWriter();
        new MarkdownPlanView(new PrintWriter(text)).render(new Plan(List.of(delete), "lin", 1),
                Map.of(drift.address(), drift), Instant.parse("2026-01-01T00:00:00Z"));
        String md = text.toString();
        for (char c : md.toCharArray()) {
            assertFalse(c < 0x20 && c != '\n', "a control character (" + (int) c + ") in the comment:\n" + md);
        }
        boolean fenced = false;
        for (String line : md.lines().toList()) {
            if (line.startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            String outsideCode = line.replaceAll("(`+).*?\\1", "");
            assertFalse(!fenced && outsideCode.matches(".*(?<!\\\\)<img.*"), "HTML outside code: " + line + "\n" + md);
        }
        assertFalse(md.contains("\n| injected"), md);
        long rows = md.lines().filter(l -> l.startsWith("| `")).count();
        assertEquals(1, rows, md);
        assertTrue(md.contains("shop[api.example.com]"), md);
    }

    /** However many patterns a manifest has, the comment stays within one comment's size. */
    @Test
    void manyPatterns_stillFitOneComment() {
        List<io.certform.plan.DesiredPattern.Selection> selections = new java.util.ArrayList<>();
        for (int p = 0; p < 400; p++) {
            List<String> names = new java.util.ArrayList<>();
            for (int i = 0; i < 25; i++) {
                names.add("host-" + i + ".team-" + p + ".shop.example.com");
            }
            selections.add(new io.certform.plan.DesiredPattern.Selection("cert" + p, "*.team-" + p
                    + ".shop.example.com", "every group of instance inst1", names, null));
        }
        ResourceChange delete = new ResourceChange("shop[api.example.com]", Action.DELETE, Set.<Reason>of(),
                state("shop_cert"), null);
        StringWriter text = new StringWriter();
        new MarkdownPlanView(new PrintWriter(text)).selecting(selections).render(new Plan(List.of(delete), "lin", 1),
                Map.of(), Instant.parse("2026-01-01T00:00:00Z"));
        String md = text.toString();
        assertTrue(md.length() <= 65_536, "a comment holds 65,536 characters; this one has " + md.length());
        assertTrue(md.contains("shop[api.example.com]"), "the changes come before the pattern listings");
    }
}
