package io.certform.acme;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The key types a certificate can be issued for, as the manifest's {@code key_type} names them. */
public enum KeyType {
    RSA2048("rsa2048", "RSA 2048"),
    RSA3072("rsa3072", "RSA 3072"),
    RSA4096("rsa4096", "RSA 4096"),
    EC256("ec256", "EC P-256"),
    EC384("ec384", "EC P-384");

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String code;
    private final String label;

    KeyType(String code, String label) {
        this.code = code;
        this.label = label;
    }

    /** The manifest's spelling: {@code ec256}. */
    public String code() {
        return code;
    }

    /** How a person reads it: {@code EC P-256}. */
    public String label() {
        return label;
    }

    /** The type named {@code code} ({@code rsa2048|rsa3072|rsa4096|ec256|ec384}); anything else is refused. */
    public static KeyType parse(String code) {
        String wanted = code == null ? "" : code.trim().toLowerCase(Locale.ROOT);
        for (KeyType type : values()) {
            if (type.code.equals(wanted)) {
                return type;
            }
        }
        throw new IllegalArgumentException("'" + code + "' is not a key type: expected one of "
                + Arrays.stream(values()).map(KeyType::code).collect(Collectors.joining(", ")));
    }

    /** A fresh key pair of this type. */
    public KeyPair generate() {
        try {
            KeyPairGenerator generator;
            switch (this) {
                case EC256, EC384 -> {
                    generator = KeyPairGenerator.getInstance("EC");
                    generator.initialize(new ECGenParameterSpec(this == EC256 ? "secp256r1" : "secp384r1"), RANDOM);
                }
                default -> {
                    generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(Integer.parseInt(code.substring(3)), RANDOM);
                }
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime cannot make a " + label + " key: " + e.getMessage(), e);
        }
    }
}
