package io.certform.keystore;

import io.certform.base.Secret;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The key store of ACME issuance, read once and written whole: each certificate entry's issued key and chain
 * ({@link #get}, {@link #put}, by the entry's key in the manifest) and one ACME account key per directory
 * ({@link #account}, {@link #putAccount}). {@link #save} writes it back encrypted, and is refused when another run
 * wrote it since this one loaded it.
 */
public final class IssuedKeys {

    private static final String CERTIFICATE_PREFIX = "cert:";
    private static final String ACCOUNT_PREFIX = "acme-account:";
    private static final String PREVIOUS_PREFIX = "previous:";
    private static final String ORDER_PREFIX = "acme-order:";

    private final KeyStorage storage;
    private final char[] password;
    private final Map<String, KeyStore.PrivateKeyEntry> entries;
    private String version;

    private IssuedKeys(KeyStorage storage, char[] password, Map<String, KeyStore.PrivateKeyEntry> entries,
                       String version) {
        this.storage = storage;
        this.password = password;
        this.entries = entries;
        this.version = version;
    }

    /**
     * Reads and decrypts the key store; an empty one when none was written yet.
     *
     * @throws KeystoreException.WrongPassword when {@code password} does not open it
     */
    public static IssuedKeys load(KeyStorage storage, Secret password) throws KeystoreException {
        if (password == null || password.reveal() == null || password.reveal().isEmpty()) {
            throw new KeystoreException("the key store needs a password: set keystore.password in the manifest to a"
                    + " reference, e.g. ${env:CERTFORM_KEYSTORE_PASSWORD}");
        }
        char[] chars = password.reveal().toCharArray();
        KeyStorage.Stored stored = storage.read();
        if (stored == null) {
            return new IssuedKeys(storage, chars, new LinkedHashMap<>(), null);
        }
        return new IssuedKeys(storage, chars, Pkcs12.decode(stored.bytes(), chars, storage.describe()),
                stored.version());
    }

    /** The certificate issued for the manifest entry {@code key}, if the store holds one. */
    public Optional<Issued> get(String key) {
        KeyStore.PrivateKeyEntry e = entries.get(certificateAlias(key));
        return e == null ? Optional.empty()
                : Optional.of(new Issued(e.getPrivateKey(), List.of(Pkcs12.chain(e.getCertificateChain()))));
    }

    /** Keeps {@code issued} as the certificate of entry {@code key} (replacing any), until {@link #save}. */
    public void put(String key, Issued issued) {
        entries.put(certificateAlias(key), new KeyStore.PrivateKeyEntry(issued.privateKey(),
                issued.chain().toArray(new X509Certificate[0])));
    }

    /**
     * Keeps {@code issued} as the certificate of entry {@code key}, the one it replaces (if any) becoming its
     * {@link #previous}, the certificate a rollback of the renewal returns to; until {@link #save}.
     */
    public void renew(String key, Issued issued) {
        KeyStore.PrivateKeyEntry current = entries.get(certificateAlias(key));
        if (current != null) {
            entries.put(PREVIOUS_PREFIX + certificateAlias(key), current);
        }
        put(key, issued);
    }

    /** The certificate entry {@code key} had before its last renewal, if the store holds one. */
    public Optional<Issued> previous(String key) {
        KeyStore.PrivateKeyEntry e = entries.get(PREVIOUS_PREFIX + certificateAlias(key));
        return e == null ? Optional.empty()
                : Optional.of(new Issued(e.getPrivateKey(), List.of(Pkcs12.chain(e.getCertificateChain()))));
    }

    /** The certificate key kept for the ACME order {@code orderUrl} before its CSR left, if any. */
    public Optional<KeyPair> orderKey(String orderUrl) {
        KeyStore.PrivateKeyEntry e = entries.get(ORDER_PREFIX + hash(orderUrl));
        return e == null ? Optional.empty()
                : Optional.of(new KeyPair(e.getCertificate().getPublicKey(), e.getPrivateKey()));
    }

    /** Keeps {@code key} as the certificate key of the order {@code orderUrl}, until {@link #save}. */
    public void putOrderKey(String orderUrl, KeyPair key) throws KeystoreException {
        entries.put(ORDER_PREFIX + hash(orderUrl), new KeyStore.PrivateKeyEntry(key.getPrivate(),
                new X509Certificate[] {Pkcs12.placeholder(key, "certform ACME order key")}));
    }

    /** Forgets the key of the order {@code orderUrl} (its certificate is stored), until {@link #save}. */
    public void removeOrderKey(String orderUrl) {
        entries.remove(ORDER_PREFIX + hash(orderUrl));
    }

    /** Forgets the certificate of entry {@code key}, until {@link #save}; whether there was one. */
    public boolean remove(String key) {
        return entries.remove(certificateAlias(key)) != null;
    }

    /** The ACME account key for the directory URL {@code directory}, if the store holds one. */
    public Optional<KeyPair> account(String directory) {
        KeyStore.PrivateKeyEntry e = entries.get(accountAlias(directory));
        return e == null ? Optional.empty()
                : Optional.of(new KeyPair(e.getCertificate().getPublicKey(), e.getPrivateKey()));
    }

    /** Keeps {@code key} as the ACME account key for {@code directory} (replacing any), until {@link #save}. */
    public void putAccount(String directory, KeyPair key) throws KeystoreException {
        entries.put(accountAlias(directory), new KeyStore.PrivateKeyEntry(key.getPrivate(),
                new X509Certificate[] {Pkcs12.placeholder(key, "certform ACME account")}));
    }

    /** The manifest keys of the certificates the store holds, sorted. */
    public List<String> certificates() {
        return entries.keySet().stream().filter(a -> a.startsWith(CERTIFICATE_PREFIX))
                .map(a -> unescape(a.substring(CERTIFICATE_PREFIX.length()))).sorted().toList();
    }

    /**
     * Writes the store back, encrypted, atomically.
     *
     * @throws KeystoreException.Conflict when another run wrote it since it was loaded (nothing is written)
     */
    public void save() throws KeystoreException {
        version = storage.write(Pkcs12.encode(entries, password), version);
    }

    /** Where the store lives, for messages. */
    public String describe() {
        return storage.describe();
    }

    @Override
    public String toString() {
        return "IssuedKeys[" + storage.describe() + ", " + entries.size() + " entries]";
    }

    /**
     * The alias of entry {@code key}. PKCS#12 aliases are compared without case by the JDK, and manifest keys are
     * not: an upper-case letter is written as {@code ^} and the letter ({@code Shop} is {@code cert:^shop}); keys
     * hold no {@code ^}.
     */
    static String certificateAlias(String key) {
        StringBuilder out = new StringBuilder(CERTIFICATE_PREFIX);
        for (char c : key.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('^').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String unescape(String alias) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < alias.length(); i++) {
            char c = alias.charAt(i);
            if (c == '^' && i + 1 < alias.length()) {
                out.append(Character.toUpperCase(alias.charAt(++i)));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String hash(String text) {
        return accountAlias(text).substring(ACCOUNT_PREFIX.length());
    }

    /** {@code acme-account:} and the SHA-256 of the directory URL, in hex. */
    static String accountAlias(String directory) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(directory.getBytes(StandardCharsets.UTF_8));
            return ACCOUNT_PREFIX + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
