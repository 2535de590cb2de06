package io.certform.base;


/**
 * A secret read from the user's sources (a private key). Its {@link #toString()} never shows the value, so a
 * secret that slips into a log line or an exception message prints as {@code (sensitive)}.
 */
public final class Secret {
    private final String value;
    private final String origin;
    private final SourceRange range;

    public Secret(String value, String origin, SourceRange range) {
        this.value = value;
        this.origin = origin;
        this.range = range;
    }

    /** The secret itself: pass it only to the code that sends it or checks it. */
    public String reveal() {
        return value;
    }

    /** Where it came from, e.g. {@code file certs/shop.key} or {@code env SHOP_KEY}: safe to show. */
    public String origin() {
        return origin;
    }

    public SourceRange range() {
        return range;
    }

    @Override
    public String toString() {
        return "(sensitive)";
    }
}
