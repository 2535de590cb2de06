package io.certform.remote;

import java.math.BigInteger;
import java.util.Locale;

/**
 * Certificate serial numbers compared as numbers. The API does not fix how it writes them: hex with or without
 * leading zeros or colons ({@code 0A:1B}), or decimal. certform records hex (lower case, no leading zeros).
 */
public final class SerialNumbers {

    private SerialNumbers() {
    }

    /**
     * Whether two written serials are the same number. {@code recorded} is certform's hex; {@code answered} is
     * whatever the API wrote: read as hex, and, when it has only decimal digits, also as decimal.
     */
    public static boolean same(String recorded, String answered) {
        BigInteger want = hex(recorded);
        if (want == null || answered == null) {
            return false;
        }
        BigInteger asHex = hex(answered);
        if (want.equals(asHex)) {
            return true;
        }
        String digits = answered.trim();
        if (!digits.isEmpty() && digits.chars().allMatch(Character::isDigit)) {
            return want.equals(new BigInteger(digits));
        }
        return false;
    }

    /** The serial as a number read as hex (colons, spaces and a {@code 0x} prefix ignored), or null. */
    static BigInteger hex(String text) {
        if (text == null) {
            return null;
        }
        String digits = text.trim().toLowerCase(Locale.ROOT).replace(":", "").replace(" ", "");
        if (digits.startsWith("0x")) {
            digits = digits.substring(2);
        }
        if (digits.isEmpty() || !digits.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return null;
        }
        return new BigInteger(digits, 16);
    }

    /** The canonical form certform records: lower-case hex without leading zeros; null when unreadable. */
    public static String canonical(String answered) {
        BigInteger n = hex(answered);
        return n == null ? answered : n.toString(16);
    }
}
