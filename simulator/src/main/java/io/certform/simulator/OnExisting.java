package io.certform.simulator;

/**
 * What a second add-certificate call does on a domain that already carries a certificate. The API's
 * documentation is silent, so the simulator can behave either way and the engine must converge under both.
 */
public enum OnExisting {
    /** The new certificate replaces the bound one (the default). */
    REPLACE,
    /** The call is refused with 400 {@code APIG.3400}; the old certificate must be deleted first. */
    CONFLICT;

    public static OnExisting parse(String text) {
        for (OnExisting value : values()) {
            if (value.name().equalsIgnoreCase(text)) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown --on-existing value '" + text + "': expected replace or conflict");
    }
}
