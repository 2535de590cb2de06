package io.certform.simulator;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Locale;

/**
 * How {@code serial_number} is written in the show-certificate answer. The API documentation does not fix the
 * format, so a client must compare serials as numbers; each format here is one a real service could use. The
 * world and {@code /_simulator/state} always keep the plain lowercase hex form.
 */
public enum SerialFormat {
    /** Lowercase hex without leading zeros, {@code 5a01} (the default). */
    HEX("hex"),
    /** The octets of the DER integer in uppercase hex, colon-separated, sign octet included: {@code 00:A3:1F}. */
    HEX_COLON("hex-colon"),
    /** Uppercase hex, zero-padded to 40 digits (20 octets, the longest serial RFC 5280 allows). */
    HEX_PADDED("hex-padded"),
    /** Decimal, {@code 23041}. */
    DECIMAL("decimal"),
    /** One of the four above, drawn per certificate id from the simulator's seed. */
    MIXED("mixed");

    private static final SerialFormat[] CONCRETE = {HEX, HEX_COLON, HEX_PADDED, DECIMAL};

    private final String text;

    SerialFormat(String text) {
        this.text = text;
    }

    /** The name used on the command line, e.g. {@code hex-colon}. */
    public String text() {
        return text;
    }

    public static SerialFormat parse(String value) {
        for (SerialFormat format : values()) {
            if (format.text.equalsIgnoreCase(value)) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown --serial-format value '" + value
                + "': expected hex, hex-colon, hex-padded, decimal or mixed");
    }

    /**
     * Writes a serial kept as lowercase hex in this format; {@code sslId} and {@code seed} pick the format of
     * {@link #MIXED}. A value that is not hex (a hand-written world) is returned unchanged.
     */
    String render(String hex, String sslId, long seed) {
        BigInteger value;
        try {
            value = new BigInteger(hex, 16);
        } catch (NumberFormatException | NullPointerException e) {
            return hex;
        }
        SerialFormat format = this;
        if (this == MIXED) {
            format = CONCRETE[Math.floorMod(Long.hashCode(seed) * 31 + sslId.hashCode(), CONCRETE.length)];
        }
        return switch (format) {
            case HEX_COLON -> HexFormat.ofDelimiter(":").withUpperCase().formatHex(value.toByteArray());
            case HEX_PADDED -> padded(value.toString(16).toUpperCase(Locale.ROOT));
            case DECIMAL -> value.toString();
            default -> value.toString(16);
        };
    }

    private static String padded(String digits) {
        return digits.length() >= 40 ? digits : "0".repeat(40 - digits.length()) + digits;
    }
}
