package io.certform.keystore;

/** What the key store's tests in other packages share. */
public final class IssuedKeysTestAccess {
    private IssuedKeysTestAccess() {
    }

    /** Whether {@code needle} occurs in {@code haystack}. */
    public static boolean contains(byte[] haystack, byte[] needle) {
        return IssuedKeysTest.contains(haystack, needle);
    }
}
