package io.certform.report.html;

import io.certform.report.ReportModel;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * The expiry timeline, drawn as an inline SVG: one mark per certificate at its expiry date (x), as large as the
 * number of bindings it has, coloured by its days left against its thresholds, with a line back to its renew-by date;
 * marks on one date are stacked; today is a dashed line. Axes, labels and a legend are drawn; dates read {@code Jan 2027}.
 */
final class TimelineSvg {

    static final int WIDTH = 1000;
    /** The height with up to 18 marks on a date; a taller stack makes it taller, up to {@link #MAX_HEIGHT}. */
    static final int HEIGHT = 300;
    static final int MAX_HEIGHT = 700;
    private static final int STEP = 11;
    private static final int LEFT = 50;
    private static final int RIGHT = 20;
    private static final int TOP = 44;
    private static final int BOTTOM = 40;
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE;

    private final Instant start;
    private final Instant end;
    private final int maxBindings;
    private int height = HEIGHT;
    private double step = STEP;

    private TimelineSvg(Instant start, Instant end, int maxBindings) {
        this.start = start;
        this.end = end;
        this.maxBindings = maxBindings;
    }

    /**
     * Makes room for the tallest stack of marks on one date: the plot grows by a row per mark up to
     * {@link #MAX_HEIGHT}; past that the marks of a stack are packed closer, each still at its own place.
     */
    private TimelineSvg fit(List<ReportModel.CertificateRow> certificates) {
        java.util.Map<Integer, Integer> stacks = new java.util.HashMap<>();
        int tallest = 1;
        for (ReportModel.CertificateRow c : certificates) {
            if (c.notAfter() != null) {
                tallest = Math.max(tallest, stacks.merge(x(c.notAfter()) / 3, 1, Integer::sum));
            }
        }
        height = Math.min(MAX_HEIGHT, Math.max(HEIGHT, TOP + BOTTOM + 12 + tallest * STEP));
        step = Math.min(STEP, (height - BOTTOM - TOP - 12) / (double) tallest);
        return this;
    }

    /** The SVG of the certificates that have an expiry date (an unreadable one is listed under it instead). */
    static String draw(List<ReportModel.CertificateRow> certificates, Instant today) {
        Instant first = today.minus(30, ChronoUnit.DAYS);
        Instant last = today.plus(120, ChronoUnit.DAYS);
        int max = 1;
        for (ReportModel.CertificateRow c : certificates) {
            if (c.notAfter() != null) {
                first = min(first, c.renewBy().minus(15, ChronoUnit.DAYS));
                last = max(last, c.notAfter().plus(15, ChronoUnit.DAYS));
            }
            max = Math.max(max, c.domains());
        }
        return new TimelineSvg(first, last, max).fit(certificates).svg(certificates, today);
    }

    private String svg(List<ReportModel.CertificateRow> certificates, Instant today) {
        StringBuilder out = new StringBuilder(512 + certificates.size() * 260);
        out.append("<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(height).append("\" width=\"100%\" role=\"img\" aria-labelledby=\"timeline-title\">")
                .append("<title id=\"timeline-title\">Expiry timeline: one mark per certificate</title>");
        axes(out);
        int todayX = x(today);
        out.append("<line class=\"today\" x1=\"").append(todayX).append("\" x2=\"").append(todayX).append("\" y1=\"")
                .append(TOP - 4).append("\" y2=\"").append(height - BOTTOM).append("\"/><text class=\"today-label\" x=\"")
                .append(todayX + 4).append("\" y=\"").append(TOP - 8).append("\">today ")
                .append(DAY.format(day(today))).append("</text>");
        out.append("<g class=\"marks\">");
        java.util.Map<Integer, Integer> stacked = new java.util.HashMap<>();
        for (ReportModel.CertificateRow c : certificates) {
            if (c.notAfter() != null) {
                mark(out, c, stacked);
            }
        }
        out.append("</g>");
        legend(out);
        return out.append("</svg>").toString();
    }

    /**
     * A certificate's mark, stacked up from the axis above the marks already on its date (within 3 pixels), so that
     * none hides another ({@link #fit} made the plot tall enough).
     */
    private void mark(StringBuilder out, ReportModel.CertificateRow c, java.util.Map<Integer, Integer> stacked) {
        int cx = x(c.notAfter());
        double r = 2.5 + 6.5 * Math.sqrt(Math.max(1, c.domains()) / (double) maxBindings);
        int k = stacked.merge(cx / 3, 1, Integer::sum) - 1;
        String cy = coordinate(height - BOTTOM - 10 - k * step);
        String title = c.key() + " (" + c.name() + "): expires " + DAY.format(day(c.notAfter())) + ", "
                + c.daysLeft() + " days left; renew by " + DAY.format(day(c.renewBy())) + "; " + c.domains()
                + (c.domains() == 1 ? " binding" : " bindings") + "; " + c.status();
        out.append("<g class=\"mark u-").append(c.urgency().name().toLowerCase(Locale.ROOT)).append("\" data-cert=\"")
                .append(Markup.html(c.key())).append("\" data-days-left=\"").append(c.daysLeft()).append("\"><title>")
                .append(Markup.html(title)).append("</title><line x1=\"").append(x(c.renewBy())).append("\" x2=\"")
                .append(cx).append("\" y1=\"").append(cy).append("\" y2=\"").append(cy).append("\"/><circle cx=\"")
                .append(cx).append("\" cy=\"").append(cy).append("\" r=\"").append(String.format(Locale.ROOT, "%.1f", r))
                .append("\"/></g>");
    }

    /** The x axis (a tick and label per month, or per quarter or year on a long span) and the y axis (bindings). */
    private void axes(StringBuilder out) {
        int bottom = height - BOTTOM;
        out.append("<g class=\"axis x-axis\"><line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                .append("\" y1=\"").append(bottom).append("\" y2=\"").append(bottom).append("\"/>");
        long months = ChronoUnit.MONTHS.between(day(start).withDayOfMonth(1), day(end).withDayOfMonth(1));
        int step = months <= 14 ? 1 : months <= 40 ? 3 : months <= 120 ? 12 : 24;
        LocalDate tick = day(start).withDayOfMonth(1).plusMonths(1);
        while ((tick.getMonthValue() - 1) % Math.min(step, 12) != 0) {
            tick = tick.plusMonths(1);
        }
        for (; !tick.atStartOfDay().toInstant(ZoneOffset.UTC).isAfter(end); tick = tick.plusMonths(step)) {
            int tx = x(tick.atStartOfDay().toInstant(ZoneOffset.UTC));
            out.append("<line class=\"grid\" x1=\"").append(tx).append("\" x2=\"").append(tx).append("\" y1=\"")
                    .append(TOP).append("\" y2=\"").append(bottom).append("\"/><line x1=\"").append(tx).append("\" x2=\"")
                    .append(tx).append("\" y1=\"").append(bottom).append("\" y2=\"").append(bottom + 5)
                    .append("\"/><text class=\"tick\" text-anchor=\"middle\" x=\"").append(tx).append("\" y=\"")
                    .append(bottom + 17).append("\">").append(MONTH.format(tick)).append("</text>");
        }
        out.append("<text text-anchor=\"middle\" x=\"").append((LEFT + WIDTH - RIGHT) / 2).append("\" y=\"")
                .append(height - 6).append("\">expiry date (UTC)</text></g>");
        out.append("<g class=\"axis y-axis\"><line x1=\"").append(LEFT).append("\" x2=\"").append(LEFT).append("\" y1=\"")
                .append(TOP).append("\" y2=\"").append(bottom).append("\"/><text transform=\"rotate(-90)\"")
                .append(" text-anchor=\"middle\" x=\"").append(-(TOP + bottom) / 2)
                .append("\" y=\"40\">certificates, stacked</text></g>");
    }

    private void legend(StringBuilder out) {
        String[][] items = {{"u-ok", "ok"}, {"u-warning", "under expiry_warning_days"},
            {"u-critical", "under min_days_remaining"}, {"u-expired", "expired"}};
        out.append("<g class=\"legend\" transform=\"translate(").append(LEFT + 10).append(",14)\">");
        int at = 0;
        for (String[] item : items) {
            out.append("<g class=\"").append(item[0]).append(" mark-legend\"><circle class=\"legend-swatch\" cx=\"")
                    .append(at + 5).append("\" cy=\"0\" r=\"5\"/></g><text x=\"").append(at + 14).append("\" y=\"4\">")
                    .append(item[1]).append("</text>");
            at += 24 + item[1].length() * 6;
        }
        out.append("<line class=\"renew\" x1=\"").append(at).append("\" x2=\"").append(at + 24)
                .append("\" y1=\"0\" y2=\"0\" stroke=\"#8c959f\" stroke-width=\"2\"/><text x=\"").append(at + 30)
                .append("\" y=\"4\">renew-by date to expiry; size: bindings</text></g>");
    }

    private int x(Instant when) {
        double share = (double) (when.getEpochSecond() - start.getEpochSecond())
                / Math.max(1, end.getEpochSecond() - start.getEpochSecond());
        return LEFT + (int) Math.round(share * (WIDTH - LEFT - RIGHT));
    }

    /** A y coordinate: whole pixels while marks have a row each, hundredths when a tall stack packs them closer. */
    private static String coordinate(double y) {
        return y == Math.rint(y) ? String.valueOf((long) y) : String.format(Locale.ROOT, "%.2f", y);
    }

    private static LocalDate day(Instant when) {
        return LocalDate.ofInstant(when, ZoneOffset.UTC);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
