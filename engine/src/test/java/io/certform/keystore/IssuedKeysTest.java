package io.certform.keystore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.Secret;
import io.certform.keystore.local.LocalKeyStorage;
import io.certform.testkit.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key store on its local backend: round trip, encryption at rest, the password, atomic and owner-only writes. */
class IssuedKeysTest {

    static final Secret PASSWORD = new Secret("correct horse battery staple", "env CERTFORM_KEYSTORE_PASSWORD", null);
    static final String DIRECTORY = "https://127.0.0.1:14000/dir";

    @TempDir
    Path dir;

    static Issued issued(TestCertificates.Authority ca, String... names) {
        TestCertificates.Issued leaf = ca.issue(names);
        return new Issued(leaf.keys().getPrivate(), List.of(leaf.certificate(), ca.certificate()));
    }

    @Test
    void roundTrip_keepsEveryKeyAndChain_andTheAccountKeys() throws Exception {
        TestCertificates.Authority ca = TestCertificates.authority("Test ACME CA");
        Issued wild = issued(ca, "*.shop.example.com");
        Issued upper = issued(ca, "api.example.com");
        KeyPair account = TestCertificates.ec("secp256r1");
        KeyPair rsaAccount = TestCertificates.rsa(2048);
        LocalKeyStorage storage = LocalKeyStorage.besideState(dir.resolve("certform.state.json"));
        assertEquals(dir.resolve("certform.state.keystore.p12").toAbsolutePath(), storage.file());

        IssuedKeys keys = IssuedKeys.load(storage, PASSWORD);
        assertTrue(keys.get("wild").isEmpty());
        keys.put("wild", wild);
        keys.put("Wild", upper); // keys differ by case in the manifest: two entries
        keys.putAccount(DIRECTORY, account);
        keys.putAccount("https://acme-v02.api.letsencrypt.org/directory", rsaAccount);
        keys.save();

        IssuedKeys again = IssuedKeys.load(storage, PASSWORD);
        assertEquals(List.of("Wild", "wild"), again.certificates());
        Issued read = again.get("wild").orElseThrow();
        assertArrayEquals(wild.privateKey().getEncoded(), read.privateKey().getEncoded());
        assertEquals(wild.chain(), read.chain());
        assertEquals(upper.leaf(), again.get("Wild").orElseThrow().leaf());
        KeyPair readAccount = again.account(DIRECTORY).orElseThrow();
        assertArrayEquals(account.getPrivate().getEncoded(), readAccount.getPrivate().getEncoded());
        assertArrayEquals(account.getPublic().getEncoded(), readAccount.getPublic().getEncoded());
        assertArrayEquals(rsaAccount.getPrivate().getEncoded(), again.account(
                "https://acme-v02.api.letsencrypt.org/directory").orElseThrow().getPrivate().getEncoded());
        assertTrue(again.account("https://other.example/dir").isEmpty());
        assertFalse(read.toString().contains(Base64.getEncoder().encodeToString(wild.privateKey().getEncoded())));
        assertTrue(read.toString().contains("(sensitive)"), read.toString());
    }

    @Test
    void theFile_isOwnerOnly_andHoldsNoKeyInClear() throws Exception {
        TestCertificates.Authority ca = TestCertificates.authority("Test ACME CA");
        Issued wild = issued(ca, "*.shop.example.com");
        KeyPair account = TestCertificates.ec("secp256r1");
        LocalKeyStorage storage = LocalKeyStorage.besideState(dir.resolve("certform.state.json"));
        IssuedKeys keys = IssuedKeys.load(storage, PASSWORD);
        keys.put("wild", wild);
        keys.putAccount(DIRECTORY, account);
        keys.save();
        byte[] bytes = Files.readAllBytes(storage.file());
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(storage.file())));
        }
        String latin = new String(bytes, StandardCharsets.ISO_8859_1);
        assertFalse(latin.contains("PRIVATE KEY"), "no PEM in the file");
        for (KeyPair pair : List.of(new KeyPair(null, wild.privateKey()), account)) {
            byte[] der = pair.getPrivate().getEncoded();
            assertFalse(contains(bytes, der), "the PKCS#8 DER of a key is not in the file");
            assertFalse(latin.contains(Base64.getEncoder().encodeToString(der)), "nor its base64");
        }
        assertFalse(contains(bytes, rawScalar(wild)), "the leaf key's private scalar is not in the file");
        assertFalse(contains(bytes, rawScalar(new Issued(account.getPrivate(), wild.chain()))),
                "the account key's private scalar is not in the file");
        try (var files = Files.list(dir)) {
            assertEquals(List.of("certform.state.keystore.p12"), files.map(p -> p.getFileName().toString()).toList(),
                    "no temporary file left");
        }
    }

    /** The private value of a key: an EC key's scalar, or an RSA key's private exponent, as unsigned bytes. */
    private static byte[] rawScalar(Issued issued) {
        java.math.BigInteger value = issued.privateKey() instanceof java.security.interfaces.ECPrivateKey ec ? ec.getS()
                : ((java.security.interfaces.RSAPrivateKey) issued.privateKey()).getPrivateExponent();
        byte[] b = value.toByteArray();
        return b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void aWrongPassword_isRefusedClearly_withoutKeyMaterialOrThePassword() throws Exception {
        TestCertificates.Authority ca = TestCertificates.authority("Test ACME CA");
        Issued wild = issued(ca, "*.shop.example.com");
        LocalKeyStorage storage = LocalKeyStorage.besideState(dir.resolve("certform.state.json"));
        IssuedKeys keys = IssuedKeys.load(storage, PASSWORD);
        keys.put("wild", wild);
        keys.save();
        byte[] before = Files.readAllBytes(storage.file());
        KeystoreException e = assertThrows(KeystoreException.WrongPassword.class, () -> IssuedKeys.load(storage,
                new Secret("wrong password", "env CERTFORM_KEYSTORE_PASSWORD", null)));
        String message = e.getMessage();
        assertTrue(message.contains("does not open with the password"), message);
        assertTrue(message.contains(storage.file().toString()), message);
        assertFalse(message.contains("wrong password") || message.contains(PASSWORD.reveal()), message);
        assertFalse(message.contains(Base64.getEncoder().encodeToString(wild.privateKey().getEncoded())), message);
        assertFalse(message.contains(HexFormat.of().formatHex(wild.privateKey().getEncoded())), message);
        assertArrayEquals(before, Files.readAllBytes(storage.file()), "nothing written");
        assertThrows(KeystoreException.class, () -> IssuedKeys.load(storage, new Secret("", "env X", null)));
    }

    @Test
    void aStaleWriter_isRefused_andLosesNothing() throws Exception {
        TestCertificates.Authority ca = TestCertificates.authority("Test ACME CA");
        LocalKeyStorage storage = LocalKeyStorage.besideState(dir.resolve("state.json"));
        IssuedKeys first = IssuedKeys.load(storage, PASSWORD);
        IssuedKeys second = IssuedKeys.load(storage, PASSWORD);
        first.put("a", issued(ca, "a.example.com"));
        first.save();
        second.put("b", issued(ca, "b.example.com"));
        KeystoreException.Conflict conflict = assertThrows(KeystoreException.Conflict.class, second::save);
        assertTrue(conflict.getMessage().contains("changed since this run read it"), conflict.getMessage());
        assertEquals(List.of("a"), IssuedKeys.load(storage, PASSWORD).certificates());
        first.put("c", issued(ca, "c.example.com"));
        first.save(); // the writer that read the current version writes on
        assertEquals(List.of("a", "c"), IssuedKeys.load(storage, PASSWORD).certificates());
    }

    @Test
    void aWrite_isFsyncedThenRenamedOverTheOld_thenTheFolderSynced() throws Exception {
        TestCertificates.Authority ca = TestCertificates.authority("Test ACME CA");
        LocalKeyStorage storage = LocalKeyStorage.besideState(dir.resolve("certform.state.json"));
        IssuedKeys keys = IssuedKeys.load(storage, PASSWORD);
        keys.put("wild", issued(ca, "*.shop.example.com"));
        try (io.certform.base.SyncRecorder recorder = io.certform.base.SyncRecorder.install(dir)) {
            keys.save();
            assertEquals(List.of("fsync .certform.state.keystore.p12.tmp",
                    "rename .certform.state.keystore.p12.tmp -> certform.state.keystore.p12", "sync-folder ."),
                    recorder.steps());
        }
    }

    /** openssl names how the file is encrypted: PBES2, PBKDF2, AES-256-CBC, and the iteration count. */
    @Test
    void theFile_isEncryptedWithPbes2Aes256_asOpensslReadsIt() throws Exception {
        Path openssl = Path.of("/usr/bin/openssl");
        Assumptions.assumeTrue(Files.isExecutable(openssl), "openssl is not installed: the PKCS#12 parameters are"
                + " checked where it is");
        TestCertificates.Authority ca = TestCertificates.authority("Test ACME CA");
        LocalKeyStorage storage = LocalKeyStorage.besideState(dir.resolve("certform.state.json"));
        IssuedKeys keys = IssuedKeys.load(storage, PASSWORD);
        keys.put("wild", issued(ca, "*.shop.example.com"));
        keys.save();
        ProcessBuilder builder = new ProcessBuilder(openssl.toString(), "pkcs12", "-info", "-noout", "-in",
                storage.file().toString(), "-passin", "env:KS_PASSWORD").redirectErrorStream(true);
        builder.environment().put("KS_PASSWORD", PASSWORD.reveal());
        Process p = builder.start();
        p.getOutputStream().close();
        // the password reaches openssl through its environment, never its command line
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(out.contains("Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration " + Pkcs12.ITERATIONS),
                out);
        assertTrue(out.contains("MAC: sha256"), out);
        java.util.regex.Matcher mac = java.util.regex.Pattern.compile("Iteration (\\d+)").matcher(out);
        while (mac.find()) {
            assertTrue(Integer.parseInt(mac.group(1)) >= 10_000, out);
        }
    }
}
