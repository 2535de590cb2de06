package io.certform.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.report.ReportModel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The expiry timeline as drawn: every certificate has a mark a person can see, none hidden under another. */
class TimelineSvgTest {

    private static final Instant TODAY = Instant.parse("2026-12-07T12:00:00Z");
    private static final Pattern CIRCLE = Pattern.compile("<circle cx=\"([\\d.]+)\" cy=\"([\\d.]+)\" r=\"([\\d.]+)\"/>");
    private static final Pattern VIEW_BOX = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"");

    private static ReportModel.CertificateRow certificate(int i, Instant notAfter) {
        return new ReportModel.CertificateRow("site" + i, "site_" + i, List.of("s" + i + ".example.com"), 10, notAfter,
                Duration.between(TODAY, notAfter).toDays(), 30, 7, notAfter.minus(Duration.ofDays(30)), "RSA",
                "CN=CA", "ok");
    }

    @Test
    void manyCertificatesExpiringOnOneDate_eachHaveTheirOwnPlace_insideThePlot() {
        for (int count : new int[] {1, 18, 83, 400, 2_000}) {
            List<ReportModel.CertificateRow> rows = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                rows.add(certificate(i, TODAY.plus(Duration.ofDays(60 + i % 2)))); // one date, give or take a day
            }
            String svg = TimelineSvg.draw(rows, TODAY);
            Matcher box = VIEW_BOX.matcher(svg);
            assertTrue(box.find(), svg);
            int height = Integer.parseInt(box.group(2));
            Set<String> places = new HashSet<>();
            Matcher m = CIRCLE.matcher(svg);
            int marks = 0;
            while (m.find()) {
                marks++;
                places.add(m.group(1) + "," + m.group(2));
                double cy = Double.parseDouble(m.group(2));
                assertTrue(cy > 0 && cy < height, "inside the plot: cy " + cy + " of " + height);
            }
            assertEquals(count, marks, "one mark per certificate");
            assertEquals(count, places.size(), count + " marks on one date: none drawn on top of another");
        }
    }
}
