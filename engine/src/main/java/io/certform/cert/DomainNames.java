package io.certform.cert;

import java.util.List;
import java.util.Locale;

/** Host-name matching as TLS clients do it (RFC 6125): exact, or a wildcard for exactly one left-most label. */
public final class DomainNames {
    private DomainNames() {
    }

    /** True when one of {@code names} (SAN DNS names, or the CN when there are none) covers {@code domain}. */
    public static boolean covered(List<String> names, String domain) {
        String host = domain.toLowerCase(Locale.ROOT);
        for (String name : names) {
            String pattern = name.toLowerCase(Locale.ROOT);
            if (pattern.equals(host)) {
                return true;
            }
            if (pattern.startsWith("*.") && !host.startsWith("*.")) {
                int dot = host.indexOf('.');
                if (dot > 0 && host.substring(dot + 1).equals(pattern.substring(2))) {
                    return true;
                }
            }
        }
        return false;
    }
}
