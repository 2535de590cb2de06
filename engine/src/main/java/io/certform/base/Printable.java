package io.certform.base;

/**
 * Text from outside (what the gateway answers) made safe to show: every control character (line breaks, the
 * escape that starts a terminal sequence, C1 controls) and every bidirectional override is replaced by U+FFFD, so
 * the text is shown as it is and never interpreted by a terminal, a log viewer or a rendered comment.
 */
public final class Printable {

    private Printable() {
    }

    /** {@code s} with each such character replaced; null stays null. */
    public static String of(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            boolean unsafe = Character.isISOControl(ch) || (ch >= '\u202a' && ch <= '\u202e')
                    || (ch >= '\u2066' && ch <= '\u2069');
            if (unsafe && out == null) {
                out = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (out != null) {
                out.append(unsafe ? '\ufffd' : ch);
            }
        }
        return out == null ? s : out.toString();
    }
}
