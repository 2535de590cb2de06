package io.certform.manifest;

/**
 * The manifest's name rules as character checks: each accepts exactly what its regular expression (kept beside
 * it, and compared with it by NameRulesTest) accepts, without a matcher per value of a 100,000-binding manifest.
 */
final class NameRules {

    private NameRules() {
    }

    /** {@code ^[A-Za-z0-9_-]{1,64}$}: an id as the console shows it. */
    static boolean isId(String s) {
        int n = s.length();
        if (n < 1 || n > 64) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!isAlnum(c) && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** {@code ^[A-Za-z_][A-Za-z0-9_-]{0,63}$}: a certificate key, part of an address. */
    static boolean isKey(String s) {
        int n = s.length();
        if (n < 1 || n > 64) {
            return false;
        }
        char first = s.charAt(0);
        if (!isLetter(first) && first != '_') {
            return false;
        }
        for (int i = 1; i < n; i++) {
            char c = s.charAt(i);
            if (!isAlnum(c) && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** {@code ^[A-Za-z][A-Za-z0-9_]{3,49}$}: the API's rule for certificate names. */
    static boolean isCertificateName(String s) {
        int n = s.length();
        if (n < 4 || n > 50 || !isLetter(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < n; i++) {
            char c = s.charAt(i);
            if (!isAlnum(c) && c != '_') {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code ^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$}: an optional {@code *.},
     * then one or more labels (1 to 63 letters, digits or '-', not '-' at either end) each followed by '.', then
     * 2 to 63 letters. Labels hold no '.', so the dots split the name in exactly one way.
     */
    static boolean isDomainName(String s) {
        int n = s.length();
        int start = n >= 2 && s.charAt(0) == '*' && s.charAt(1) == '.' ? 2 : 0;
        int lastDot = s.lastIndexOf('.');
        if (lastDot < start) {
            return false; // no label before the last part
        }
        int tld = n - lastDot - 1;
        if (tld < 2 || tld > 63) {
            return false;
        }
        for (int i = lastDot + 1; i < n; i++) {
            if (!isLetter(s.charAt(i))) {
                return false;
            }
        }
        int labelStart = start;
        while (labelStart <= lastDot) {
            int dot = s.indexOf('.', labelStart);
            int length = dot - labelStart;
            if (length < 1 || length > 63 || !isAlnum(s.charAt(labelStart)) || !isAlnum(s.charAt(dot - 1))) {
                return false;
            }
            for (int i = labelStart + 1; i < dot - 1; i++) {
                char c = s.charAt(i);
                if (!isAlnum(c) && c != '-') {
                    return false;
                }
            }
            labelStart = dot + 1;
        }
        return true;
    }

    private static boolean isLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static boolean isAlnum(char c) {
        return isLetter(c) || (c >= '0' && c <= '9');
    }
}
