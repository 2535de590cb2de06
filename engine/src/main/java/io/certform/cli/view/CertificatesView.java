package io.certform.cli.view;

import io.certform.cert.CertificateInfo;
import io.certform.cert.CertificateLoader;
import io.certform.cert.CertificateProblem;
import io.certform.workflow.CertificateReport;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code certform certs}: one row per certificate of the manifest, soonest expiry first. */
public final class CertificatesView {
    private final PrintWriter out;
    private final Style style;

    public CertificatesView(PrintWriter out, Style style) {
        this.out = out;
        this.style = style;
    }

    /** Soonest expiry first; certificates that could not be read last, by key. */
    public static List<CertificateReport> sorted(List<CertificateReport> reports) {
        List<CertificateReport> rows = new ArrayList<>(reports);
        rows.sort(Comparator.comparing((CertificateReport r) -> r.loaded().info() == null ? Instant.MAX
                : r.loaded().info().notAfter()).thenComparing(r -> r.spec().key()));
        return rows;
    }

    public void table(List<CertificateReport> reports, Instant now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"KEY", "ALGORITHM", "SUBJECT", "SANS", "ISSUER", "NOT AFTER", "DAYS", "BINDINGS",
                "STATUS"});
        for (CertificateReport r : sorted(reports)) {
            CertificateInfo i = r.loaded().info();
            rows.add(new String[] {r.spec().key(), i == null ? "-" : i.keyDescription(), i == null ? "-" : i.subject(),
                    i == null ? "-" : String.join(",", i.dnsNames()), i == null ? "-" : i.issuer(),
                    i == null ? "-" : i.notAfter().truncatedTo(ChronoUnit.SECONDS).toString(),
                    i == null ? "-" : Long.toString(CertificateLoader.daysLeft(now, i.notAfter())),
                    Integer.toString(r.bindings()), r.status(now)});
        }
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < width.length; c++) {
                String cell = rows.get(r)[c];
                String padded = c == width.length - 1 ? cell : String.format("%-" + width[c] + "s  ", cell);
                line.append(r == 0 ? style.bold(padded) : c == width.length - 1 ? colour(cell) : padded);
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }

    public void json(List<CertificateReport> reports, Instant now) {
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode root = json.createObjectNode();
        root.put("format_version", "1");
        ArrayNode list = root.putArray("certificates");
        for (CertificateReport r : sorted(reports)) {
            ObjectNode n = list.addObject();
            CertificateInfo i = r.loaded().info();
            n.put("key", r.spec().key());
            n.put("name", r.spec().name());
            n.put("status", r.status(now));
            n.put("bindings", r.bindings());
            if (i != null) {
                n.put("algorithm_type", i.algorithmType());
                n.put("key_type", i.keyDescription());
                n.put("subject", i.subject());
                i.dnsNames().forEach(n.putArray("sans")::add);
                n.put("issuer", i.issuer());
                n.put("serial_number", i.serialNumber());
                n.put("not_before", i.notBefore().truncatedTo(ChronoUnit.SECONDS).toString());
                n.put("not_after", i.notAfter().truncatedTo(ChronoUnit.SECONDS).toString());
                n.put("days_left", CertificateLoader.daysLeft(now, i.notAfter()));
                n.put("cert_sha256", i.sha256());
                n.put("signature_algorithm", i.signatureAlgorithm());
            }
            ArrayNode problems = n.putArray("problems");
            for (CertificateProblem p : r.loaded().problems()) {
                ObjectNode problem = problems.addObject();
                problem.put("severity", p.error() ? "error" : "warning");
                problem.put("field", p.field());
                problem.put("summary", p.summary());
            }
            for (String domain : r.uncoveredDomains()) {
                ObjectNode problem = problems.addObject();
                problem.put("severity", "error");
                problem.put("field", "domains");
                problem.put("summary", "the certificate does not cover the domain " + domain);
            }
        }
        out.println(json.writeValueAsString(root));
        out.flush();
    }

    private String colour(String status) {
        return switch (status) {
            case "ok" -> style.green(status);
            case "expiring" -> style.yellow(status);
            default -> style.red(status);
        };
    }
}
