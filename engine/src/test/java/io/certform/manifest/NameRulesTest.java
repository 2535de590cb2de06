package io.certform.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The character checks of {@link NameRules} accept exactly what the regular expressions they replace accept. */
class NameRulesTest {

    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
    private static final Pattern KEY = Pattern.compile("^[A-Za-z_][A-Za-z0-9_-]{0,63}$");
    private static final Pattern DOMAIN_NAME =
            Pattern.compile("^(\\*\\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}$");

    private static final String[] ALPHABETS = {
        "aZ09_-", "aZ09_-.*", "ab-.", "a.", "aZ9-.*", "aB_-\n é.*$", "aZ09_-.*\u00e9\u212a\u0130\u0131\ud83d\ude00 \t\n",
    };

    @Test
    void idMatchesItsRegex() {
        same(ID, NameRules::isId);
    }

    @Test
    void keyMatchesItsRegex() {
        same(KEY, NameRules::isKey);
    }

    @Test
    void certificateNameMatchesItsRegex() {
        same(ManifestParser.CERTIFICATE_NAME, NameRules::isCertificateName);
    }

    @Test
    void domainNameMatchesItsRegex() {
        same(DOMAIN_NAME, NameRules::isDomainName);
    }

    private static void same(Pattern regex, Predicate<String> check) {
        List<String> inputs = inputs();
        int accepted = 0;
        for (String s : inputs) {
            boolean expected = regex.matcher(s).matches();
            assertEquals(expected, check.test(s), () -> "for '" + s.replace("\n", "\\n") + "' (" + s.length() + ")");
            accepted += expected ? 1 : 0;
        }
        assertTrue(accepted > 1000, "accepted only " + accepted + " of " + inputs.size());
        assertTrue(inputs.size() - accepted > 1000, "rejected only " + (inputs.size() - accepted));
    }

    private static List<String> inputs() {
        List<String> inputs = new ArrayList<>(List.of("", "a", "-", "_", "*", ".", "*.", "*.a", "*.ab", "a.b", "a.bc",
                "a.b1", "a-.com", "-a.com", "a--b.com", "A.COM", "*.*.a.com", "a..com", "a.com.", ".a.com", "*a.com",
                "a.com\n", "\na.com", "a.com\r\n", "abc\n", "abcd\n", "x".repeat(4), "x".repeat(3), "x".repeat(50),
                "x".repeat(51), "\u212a.com", "k\u0130.com", "\u00e9t\u00e9.fr", "caf\u00e9", "a_b.com", "a b.com",
                "1.com", "1.c0", "xn--d1acufc.xn--p1ai", "abc\u0000", "a\u0000.com"));
        for (int n = 0; n <= 300; n++) {
            inputs.add("a".repeat(n));
            inputs.add("_".repeat(n));
            inputs.add("A" + "1".repeat(Math.max(0, n - 1)));
            inputs.add("a".repeat(n) + ".com");
            inputs.add("*." + "a".repeat(n) + ".com");
            inputs.add("ab." + "c".repeat(n));
            inputs.add("a" + "-".repeat(n) + "b.com");
            inputs.add("a".repeat(n) + "-.com");
        }
        for (int n : new int[] {61, 62, 63, 64, 65}) {
            String label = "a" + "b".repeat(n - 2) + "c";
            inputs.add(label + ".com");
            inputs.add("*." + label + "." + label + ".org");
            inputs.add("x." + "d".repeat(n));
            inputs.add("x-" + "1".repeat(n - 2));
            inputs.add("-" + label.substring(1) + ".io");
            inputs.add(label.substring(1) + "-.io");
        }
        Random random = new Random(20261128);
        for (String alphabet : ALPHABETS) {
            for (int i = 0; i < 40_000; i++) {
                int n = random.nextInt(10) == 0 ? random.nextInt(301) : random.nextInt(20);
                StringBuilder s = new StringBuilder();
                for (int j = 0; j < n; j++) {
                    s.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                inputs.add(s.toString());
            }
        }
        // Near-valid names: real domains, ids and keys with one character changed, inserted or removed.
        String[] seeds = {"api.example.com", "*.shop.example.org", "d12.z1.example.com", "site_0", "shop_api_2026",
            "g-1_x", "a1.b2.c3.de"};
        String edits = "aZ09_-.*\u00e9 \n";
        for (String seed : seeds) {
            for (int i = 0; i < 5_000; i++) {
                StringBuilder s = new StringBuilder(seed);
                int at = random.nextInt(s.length() + 1);
                char c = edits.charAt(random.nextInt(edits.length()));
                switch (random.nextInt(3)) {
                    case 0 -> s.insert(at, c);
                    case 1 -> { if (at < s.length()) s.setCharAt(at, c); }
                    default -> { if (at < s.length()) s.deleteCharAt(at); }
                }
                inputs.add(s.toString());
                inputs.add(seed);
            }
        }
        return inputs;
    }
}
