package io.certform.manifest;

/**
 * The characters {@link PlainYaml} reads, by where they may stand: a deliberately small, ASCII-only subset of what
 * YAML allows in plain keys and scalars, so that whatever it accepts snakeyaml reads the same way.
 */
final class YamlChars {

    private YamlChars() {
    }

    static final int KEY = 1;
    static final int START = 2;
    static final int BLOCK = 4;
    static final int FLOW = 8;
    /** What each ASCII character may be: the start of a key or plain scalar, inside one in block or flow context. */
    private static final byte[] CLASS = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            boolean alnum = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            int k = 0;
            if (alnum || "_./$".indexOf(c) >= 0) {
                k |= START;
            }
            if (alnum || "_.-/$".indexOf(c) >= 0) {
                k |= KEY;
            }
            if (alnum || "_.-/$@+=~()% :{}".indexOf(c) >= 0) {
                k |= BLOCK;
            }
            if (alnum || "_.-/$@+=~()% ".indexOf(c) >= 0) {
                k |= FLOW;
            }
            CLASS[c] = (byte) k;
        }
        CLASS['~'] |= START;
        CLASS['+'] |= START;
    }

    /**
     * Only line feeds and what YAML prints, without a character snakeyaml counts as a line break or a byte-order
     * mark; anything beyond ASCII is then accepted in comments only (the scalars' character classes are ASCII).
     */
    static boolean printable(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f || c == '\n') {
                continue;
            }
            if (c >= 0xa0 && c <= 0xd7ff && c != 0x2028 && c != 0x2029 || c >= 0xe000 && c <= 0xfffd && c != 0xfeff) {
                continue;
            }
            return false;
        }
        return true;
    }

    static boolean is(char c, int kind) {
        return c < 128 && (CLASS[c] & kind) != 0;
    }
}
