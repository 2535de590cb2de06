package io.certform.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.report.ReportModel;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every value the page shows, whatever it holds, stays text: in HTML text, in attributes, in the SVG and in the
 * inline JSON block. One hostile string goes into every field of the model; the page must add no element.
 */
class HtmlReportEscapingTest {

    private static final String HOSTILE = "\"'><img src=//evil.example/x onerror=alert(1)></script><script>alert(2)"
            + "</script><!-- \u2028\u2029 javascript:alert(3) &amp; ]]>";
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    private static ReportModel model() {
        Instant notAfter = NOW.plusSeconds(86_400L * 40);
        ReportModel.CertificateRow readable = new ReportModel.CertificateRow(HOSTILE, HOSTILE, List.of(HOSTILE, HOSTILE),
                1, notAfter, 40, 30, 7, notAfter.minusSeconds(86_400L * 30), HOSTILE, HOSTILE, HOSTILE);
        ReportModel.CertificateRow unreadable = new ReportModel.CertificateRow(HOSTILE + "2", HOSTILE, List.of(), 0,
                null, 0, 30, 7, null, null, null, HOSTILE);
        ReportModel.Provider provider = new ReportModel.Provider(HOSTILE, HOSTILE, HOSTILE, HOSTILE);
        ReportModel.BindingRow binding = new ReportModel.BindingRow(provider, HOSTILE, HOSTILE, HOSTILE, HOSTILE,
                HOSTILE, ReportModel.Sync.DRIFTED, HOSTILE);
        ReportModel.BindingRow gone = new ReportModel.BindingRow(provider, HOSTILE, HOSTILE, HOSTILE, HOSTILE + "gone",
                HOSTILE, ReportModel.Sync.NOT_IN_MANIFEST, null);
        ReportModel.Rollout rollout = new ReportModel.Rollout(HOSTILE, false, false, HOSTILE, true,
                List.of(new ReportModel.Wave(1, 1, 1, 0, 1, 1)),
                List.of(new ReportModel.Failure(HOSTILE, HOSTILE, HOSTILE)));
        return new ReportModel(NOW, HOSTILE, HOSTILE, false,
                new ReportModel.StateSummary(HOSTILE, 3, HOSTILE, NOW, HOSTILE, 2), List.of(readable, unreadable),
                List.of(binding, gone), List.of(rollout), List.of(HOSTILE));
    }

    @Test
    void aHostileValueInEveryField_addsNoElement_andRoundTripsThroughTheJsonBlock() throws Exception {
        StringWriter out = new StringWriter();
        HtmlReport.write(model(), out);
        String html = out.toString();

        assertFalse(html.contains("<img"), "no value becomes an element");
        assertFalse(html.contains("<!--"), "nor a comment");
        assertEquals(2, Pattern.compile("<script").matcher(html).results().count(), "the data block and the script");
        assertEquals(1, Pattern.compile("</script>\\n<script>").matcher(html).results().count());
        String tags = String.join("\n", Pattern.compile("<[a-zA-Z][^>]*>").matcher(html).results()
                .map(m -> m.group().replaceAll("\"[^\"]*\"", "\"\"")).toList()); // attribute values emptied
        assertFalse(Pattern.compile("(?i)\\s(src|href|on[a-z]+)=").matcher(tags).find(), "no value adds an attribute: "
                + tags);

        Matcher data = Pattern.compile("(?s)<script id=\"inventory-data\" type=\"application/json\">(.*?)</script>")
                .matcher(html);
        assertTrue(data.find(), html);
        assertFalse(data.group(1).contains("\u2028") || data.group(1).contains("\u2029"), "line separators escaped");
        JsonNode json = JsonMapper.builder().build().readTree(data.group(1));
        assertEquals(HOSTILE, json.path("rows").get(0).get(3).asString(), "the domain, exactly");
        assertEquals(HOSTILE, json.path("certs").get(0).path("issuer").asString());
        assertEquals(HOSTILE + "gone", json.path("certs").get(2).path("key").asString());
    }
}
