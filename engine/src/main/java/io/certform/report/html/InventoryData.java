package io.certform.report.html;

import io.certform.report.ReportModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The inventory's rows as the page's script reads them: compact, so that 100,000 bindings stay a few megabytes.
 * Each certificate's attributes (algorithm, issuer, expiry, days left) are written once, and each row names its
 * certificate, provider, instance, group, model and sync status by their index in a table.
 */
final class InventoryData {

    private InventoryData() {
    }

    static String json(ReportModel model, int pageRows) {
        Map<String, Integer> certificate = new HashMap<>();
        StringBuilder out = new StringBuilder(256 + model.bindings().size() * 64);
        out.append("{\"page\":").append(pageRows).append(",\"certs\":[");
        for (ReportModel.CertificateRow c : model.certificates()) {
            cert(out, certificate, c.key(), c.algorithm(), c.issuer(), HtmlReport.date(c.notAfter()),
                    c.notAfter() == null ? null : c.daysLeft(), c.urgency().name().toLowerCase(Locale.ROOT));
        }
        Table providers = new Table();
        Table instances = new Table();
        Table groups = new Table();
        Table models = new Table();
        Table syncs = new Table();
        StringBuilder rows = new StringBuilder(model.bindings().size() * 56);
        for (ReportModel.BindingRow b : model.bindings()) {
            Integer c = certificate.get(b.certificate());
            if (c == null) { // a certificate the manifest no longer has: its attributes are not known
                cert(out, certificate, b.certificate(), null, null, null, null, "expired");
                c = certificate.get(b.certificate());
            }
            rows.append(rows.isEmpty() ? "" : ",").append('[').append(providers.index(b.provider().label()))
                    .append(',').append(instances.index(b.instance())).append(',').append(groups.index(b.group()))
                    .append(',');
            Markup.json(rows, b.domain());
            rows.append(',').append(c).append(',').append(models.index(b.model())).append(',')
                    .append(syncs.index(b.sync().label())).append(',');
            Markup.json(rows, b.verifiedAt());
            rows.append(']');
        }
        out.append("],\"tables\":{\"providers\":");
        providers.write(out);
        out.append(",\"instances\":");
        instances.write(out);
        out.append(",\"groups\":");
        groups.write(out);
        out.append(",\"models\":");
        models.write(out);
        out.append(",\"syncs\":");
        syncs.write(out);
        return out.append("},\"rows\":[").append(rows).append("]}").toString();
    }

    private static void cert(StringBuilder out, Map<String, Integer> index, String key, String algorithm, String issuer,
                             String expiry, Long days, String urgency) {
        out.append(index.isEmpty() ? "" : ",").append("{\"key\":");
        Markup.json(out, key);
        out.append(",\"algorithm\":");
        Markup.json(out, algorithm);
        out.append(",\"issuer\":");
        Markup.json(out, issuer);
        out.append(",\"expiry\":");
        Markup.json(out, expiry);
        out.append(",\"days\":").append(days).append(",\"urgency\":");
        Markup.json(out, urgency);
        out.append('}');
        index.put(key, index.size());
    }

    /** Distinct strings, each written once and named by its index. */
    private static final class Table {
        private final Map<String, Integer> index = new HashMap<>();
        private final List<String> values = new ArrayList<>();

        int index(String value) {
            String v = value == null ? "" : value;
            return index.computeIfAbsent(v, k -> {
                values.add(k);
                return values.size() - 1;
            });
        }

        void write(StringBuilder out) {
            out.append('[');
            for (int i = 0; i < values.size(); i++) {
                out.append(i == 0 ? "" : ",");
                Markup.json(out, values.get(i));
            }
            out.append(']');
        }
    }
}
