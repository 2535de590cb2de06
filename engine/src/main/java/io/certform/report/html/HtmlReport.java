package io.certform.report.html;

import io.certform.report.ReportModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link ReportModel} as one self-contained HTML page: the state, the expiry timeline ({@link TimelineSvg}),
 * the certificates (one row each, their bindings aggregated), the last rollouts, and the inventory of bindings, whose
 * rows are a JSON block that the page's script sorts, filters and shows a page at a time ({@value #PAGE_ROWS} rows),
 * so that 100,000 bindings stay responsive. Styles and script are inline and allowed by their hashes alone: the
 * Content-Security-Policy ({@code default-src 'none'}) forbids every load from anywhere.
 */
public final class HtmlReport {

    /** Inventory rows on one page. */
    public static final int PAGE_ROWS = 100;
    static final String[] COLUMNS = {"provider", "instance", "group", "domain", "certificate", "algorithm", "issuer",
        "expiry", "days left", "model", "sync", "last verified"};
    private static final String CSS = resource("report.css");
    private static final String SCRIPT = resource("report.js");
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private HtmlReport() {
    }

    /** The Content-Security-Policy of the page: nothing may load; only its own style and script run. */
    public static String contentSecurityPolicy() {
        return "default-src 'none'; style-src '" + sha256(CSS) + "'; script-src '" + sha256(SCRIPT)
                + "'; img-src data:; base-uri 'none'; form-action 'none'";
    }

    public static void write(ReportModel model, Writer out) throws IOException {
        out.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<meta http-equiv="
                + "\"Content-Security-Policy\" content=\"" + contentSecurityPolicy() + "\">\n<meta name=\"viewport\""
                + " content=\"width=device-width, initial-scale=1\">\n<title>certform report: "
                + Markup.html(model.manifest()) + "</title>\n<style>" + CSS + "</style></head>\n<body>\n");
        header(model, out);
        out.write("<section id=\"timeline-section\"><h2>Expiry timeline</h2>\n");
        out.write(TimelineSvg.draw(model.certificates(), model.generatedAt()));
        for (ReportModel.CertificateRow c : model.certificates()) {
            if (c.notAfter() == null) {
                out.write("<p class=\"note\">Not on the timeline: " + Markup.html(c.key()) + " ("
                        + Markup.html(c.status()) + "): its certificate cannot be read; run certform validate.</p>");
            }
        }
        out.write("</section>\n");
        certificates(model, out);
        RolloutsHtml.write(model.rollouts(), out);
        inventory(model, out);
        out.write("<script id=\"inventory-data\" type=\"application/json\">");
        out.write(InventoryData.json(model, PAGE_ROWS));
        out.write("</script>\n<script>" + SCRIPT + "</script>\n</body></html>\n");
    }

    private static void header(ReportModel model, Writer out) throws IOException {
        out.write("<header><h1>certform report: " + Markup.html(model.manifest()) + "</h1><p class=\"meta\">"
                + "<span>made " + MINUTE.format(model.generatedAt()) + " by certform " + Markup.html(model.version())
                + "</span><span>" + (model.refreshed() ? "remote side read first (--refresh)"
                : "from the state as last recorded (no API call)") + "</span></p><p class=\"meta\" id=\"state\">");
        ReportModel.StateSummary s = model.state();
        if (s != null) {
            out.write("<span>state <code>" + Markup.html(s.where()) + "</code></span><span>serial <b id=\"serial\">"
                    + s.serial() + "</b></span><span>lineage <code id=\"lineage\">" + Markup.html(s.lineage())
                    + "</code></span><span>written " + (s.writtenAt() == null ? "(not recorded)"
                    : MINUTE.format(s.writtenAt())) + " by certform " + Markup.html(s.writtenBy()) + "</span><span>"
                    + s.resources() + " resources</span>");
        }
        out.write("</p>");
        for (String note : model.notes()) {
            out.write("<p class=\"note\">" + Markup.html(note) + "</p>");
        }
        out.write("</header>\n");
    }

    /** One row per certificate: its bindings aggregated by sync status. */
    private static void certificates(ReportModel model, Writer out) throws IOException {
        Map<String, int[]> counts = new HashMap<>();
        for (ReportModel.BindingRow b : model.bindings()) {
            counts.computeIfAbsent(b.certificate(), k -> new int[ReportModel.Sync.values().length])[b.sync().ordinal()]++;
        }
        out.write("<section id=\"certificates\"><h2>Certificates (" + model.certificates().size()
                + ")</h2><div class=\"scroll\"><table><thead><tr><th>certificate</th><th>name</th><th>expiry</th>"
                + "<th class=\"num\">days left</th><th>renew by</th><th class=\"num\" title=\"expiry_warning_days\">warning"
                + " days</th><th>status</th><th class=\"num\">bindings</th>"
                + "<th class=\"num\">in sync</th><th class=\"num\">drifted</th><th class=\"num\">not applied</th>"
                + "<th>names (SAN)</th><th>algorithm</th><th>issuer</th></tr></thead><tbody>\n");
        StringBuilder rows = new StringBuilder();
        for (ReportModel.CertificateRow c : model.certificates()) {
            int[] n = counts.getOrDefault(c.key(), new int[ReportModel.Sync.values().length]);
            String urgency = c.urgency().name().toLowerCase(java.util.Locale.ROOT);
            rows.append("<tr><td>").append(Markup.html(c.key())).append("</td><td>").append(Markup.html(c.name()))
                    .append("</td><td>").append(date(c.notAfter())).append("</td><td class=\"num ").append(urgency)
                    .append("\">").append(c.notAfter() == null ? "" : c.daysLeft()).append("</td><td>")
                    .append(date(c.renewBy())).append("</td><td class=\"num\">").append(c.warningDays())
                    .append("</td><td class=\"").append(urgency).append("\">")
                    .append(Markup.html(c.status())).append("</td><td class=\"num\">").append(c.domains())
                    .append("</td><td class=\"num\">").append(n[ReportModel.Sync.IN_SYNC.ordinal()])
                    .append("</td><td class=\"num\">").append(n[ReportModel.Sync.DRIFTED.ordinal()])
                    .append("</td><td class=\"num\">").append(n[ReportModel.Sync.NOT_APPLIED.ordinal()])
                    .append("</td><td>").append(Markup.html(names(c.names()))).append("</td><td>")
                    .append(Markup.html(c.algorithm())).append("</td><td>").append(Markup.html(c.issuer()))
                    .append("</td></tr>\n");
            if (rows.length() > 1 << 16) {
                out.write(rows.toString());
                rows.setLength(0);
            }
        }
        out.write(rows.toString());
        out.write("</tbody></table></div></section>\n");
    }

    private static void inventory(ReportModel model, Writer out) throws IOException {
        StringBuilder names = new StringBuilder("<tr class=\"names\">");
        StringBuilder filters = new StringBuilder("<tr class=\"filters\">");
        for (String column : COLUMNS) {
            names.append("<th").append(column.equals("days left") ? " class=\"num\"" : "").append("><button type=\"button\">")
                    .append(column).append("</button></th>");
            filters.append("<th><input type=\"search\" aria-label=\"filter ").append(column).append("\" placeholder=\"")
                    .append("filter\"></th>");
        }
        out.write("<section id=\"inventory-section\"><h2>Inventory (" + model.bindings().size() + " bindings)</h2>"
                + "<p class=\"meta\">Click a column's name to sort by it (again: the other way); type in the boxes"
                + " under the names to filter.</p><div class=\"pager\"><button type=\"button\" id=\"inventory-prev\">"
                + "previous</button><button type=\"button\" id=\"inventory-next\">next</button><span id=\""
                + "inventory-status\"></span></div><noscript><p class=\"note\">The inventory needs JavaScript.</p>"
                + "</noscript><div class=\"scroll\"><table id=\"inventory\"><thead>" + names + "</tr>" + filters
                + "</tr></thead><tbody id=\"inventory-body\"></tbody></table></div></section>\n");
    }

    private static String names(List<String> names) {
        return names.size() <= 4 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 4)) + " and " + (names.size() - 4) + " more";
    }

    static String date(Instant when) {
        return when == null ? "" : DAY.format(when);
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the report's " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
