package io.certform.state;

/**
 * The reader of the deposed mark as format 1 wrote it: in the address, {@code ADDRESS#deposed-KEY} (or
 * {@code ADDRESS#deposed}, written before the key was added). Format 2 writes a deposed object's plain address and
 * its key beside it ({@code "deposed": KEY}); states, journal lines and saved plans written before still read, through
 * here and only here.
 */
final class FormatOneAddress {

    private static final String MARK = "#deposed";

    private FormatOneAddress() {
    }

    /** The address without a format-1 deposed mark. */
    static String address(String written) {
        int at = written == null ? -1 : written.indexOf(MARK);
        return at < 0 ? written : written.substring(0, at);
    }

    /**
     * The deposed key a format-1 address carries ({@code ResourceState.NO_ID} for a mark without a key), or
     * {@code fallback} when it carries no mark.
     */
    static String deposedKey(String written, String fallback) {
        int at = written == null ? -1 : written.indexOf(MARK);
        if (at < 0) {
            return fallback;
        }
        String rest = written.substring(at + MARK.length());
        return rest.startsWith("-") && rest.length() > 1 ? rest.substring(1) : ResourceState.NO_ID;
    }
}
