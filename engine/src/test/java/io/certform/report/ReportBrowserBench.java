package io.certform.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How a large report behaves in a browser, for {@code bench/run.sh --only report}: headless Chromium opens a page
 * {@code certform report} wrote, sorts its inventory by domain and filters it, and the times are printed. It checks
 * what the page must show (one timeline mark per certificate, every binding counted, nothing requested but the page)
 * and exits 1 when that is wrong; the times are figures, never a pass or fail.
 *
 * <p>Usage: {@code java -cp ... io.certform.report.ReportBrowserBench PAGE BINDINGS CERTIFICATES}
 */
public final class ReportBrowserBench {

    private ReportBrowserBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ReportBrowserBench PAGE BINDINGS CERTIFICATES");
            System.exit(2);
        }
        Path page = Path.of(args[0]).toAbsolutePath();
        int bindings = Integer.parseInt(args[1]);
        int certificates = Integer.parseInt(args[2]);
        if (!Chromium.installed()) {
            System.err.println(Chromium.BINARY + " is not installed (Debian: apt-get install -y chromium): no browser row");
            System.exit(3);
        }
        try (Chromium browser = Chromium.start(1280, 1500)) {
            String url = page.toUri().toString();
            long start = System.nanoTime();
            browser.open(url);
            long loaded = System.nanoTime();
            browser.evaluate("Array.from(document.querySelectorAll('#inventory thead tr.names th button'))"
                    + ".find(b => b.textContent === 'domain').click()");
            long sorted = System.nanoTime();
            browser.evaluate("(() => { const box = document.querySelectorAll('#inventory tr.filters input')[10];"
                    + " box.value = 'drifted'; box.dispatchEvent(new Event('input')); })()");
            long filtered = System.nanoTime();
            int marks = browser.evaluate("document.querySelectorAll('#timeline .marks .mark').length").asInt();
            String status = browser.evaluate("document.getElementById('inventory-status').textContent").asString();
            List<String> wrong = new java.util.ArrayList<>();
            if (marks != certificates) {
                wrong.add("the timeline has " + marks + " marks for " + certificates + " certificates");
            }
            if (!status.contains("filtered from " + bindings + ")")) {
                wrong.add("the inventory does not count " + bindings + " bindings: " + status);
            }
            if (!List.of(url).equals(List.copyOf(browser.requests))) {
                wrong.add("the page requested more than itself: " + browser.requests);
            }
            System.out.printf("browser: %d bindings (%d KiB): loaded in %d ms, sorted by domain in %d ms, filtered in"
                            + " %d ms%n", bindings, Files.size(page) / 1024, (loaded - start) / 1_000_000,
                    (sorted - loaded) / 1_000_000, (filtered - sorted) / 1_000_000);
            if (!wrong.isEmpty()) {
                wrong.forEach(w -> System.err.println("ReportBrowserBench: " + w));
                System.exit(1);
            }
        }
    }
}
