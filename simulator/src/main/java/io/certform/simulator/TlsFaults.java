package io.certform.simulator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the TLS port gets wrong on purpose, so that tests can see verification fail.
 *
 * @param staleRate   share (0..1) of domain names that keep presenting the certificate they presented before
 *                    their last change; which names is fixed by the name and the simulator's seed, so that the
 *                    same names are stale on every handshake of a run
 * @param brokenNames domain names (case-insensitive; {@code *} stands for one whole label) that present their
 *                    leaf alone, without the intermediates it was uploaded with, so the chain does not verify
 */
public record TlsFaults(double staleRate, List<String> brokenNames) {

    public TlsFaults {
        if (!(staleRate >= 0 && staleRate <= 1)) {
            throw new IllegalArgumentException("the stale-serving rate is between 0 and 1, not " + staleRate);
        }
        List<String> names = new ArrayList<>();
        for (String name : brokenNames) {
            String trimmed = name == null ? "" : name.strip();
            if (trimmed.isEmpty()) {
                throw new IllegalArgumentException("a broken-chain domain name is empty");
            }
            names.add(trimmed.toLowerCase(Locale.ROOT));
        }
        brokenNames = List.copyOf(names);
    }

    public static TlsFaults none() {
        return new TlsFaults(0, List.of());
    }

    /** {@code --serve-stale-rate} and {@code --serve-broken} (comma-separated names; null or blank for none). */
    public static TlsFaults of(double staleRate, String brokenNames) {
        List<String> names = new ArrayList<>();
        if (brokenNames != null && !brokenNames.isBlank()) {
            for (String name : brokenNames.split(",")) {
                names.add(name);
            }
        }
        return new TlsFaults(staleRate, names);
    }

    /** True when {@code name} is among the stale share under {@code seed}. */
    public boolean stale(String name, long seed) {
        if (staleRate <= 0) {
            return false;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((seed + ":" + name.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
            double draw = (ByteBuffer.wrap(hash).getLong() >>> 11) * 0x1.0p-53; // uniform in [0, 1)
            return draw < staleRate;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when {@code name} presents its leaf alone. */
    public boolean broken(String name) {
        String[] labels = name.toLowerCase(Locale.ROOT).split("\\.", -1);
        for (String pattern : brokenNames) {
            String[] parts = pattern.split("\\.", -1);
            if (parts.length != labels.length) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < parts.length && match; i++) {
                match = parts[i].equals("*") || parts[i].equals(labels[i]);
            }
            if (match) {
                return true;
            }
        }
        return false;
    }
}
