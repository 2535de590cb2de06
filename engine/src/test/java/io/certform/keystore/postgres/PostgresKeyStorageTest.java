package io.certform.keystore.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.Secret;
import io.certform.keystore.Issued;
import io.certform.keystore.IssuedKeys;
import io.certform.keystore.KeystoreException;
import io.certform.testing.PostgresSchema;
import io.certform.testkit.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The key store in the PostgreSQL workspace: a round trip, the bytes encrypted in the table, and the stale writer
 * refused. Skipped with the reason when no server answers; fails instead with CERTFORM_PG_REQUIRED=1.
 */
class PostgresKeyStorageTest {

    @RegisterExtension
    final PostgresSchema pg = new PostgresSchema();

    private static final Secret PASSWORD = new Secret("a long random password", "env CERTFORM_KEYSTORE_PASSWORD",
            null);

    private static Issued issued(TestCertificates.Authority ca, String name) {
        TestCertificates.Issued leaf = ca.issue(name);
        return new Issued(leaf.keys().getPrivate(), List.of(leaf.certificate(), ca.certificate()));
    }

    @Test
    void roundTrip_inTheWorkspacesTable_encrypted() throws Exception {
        TestCertificates.Authority ca = TestCertificates.authority("Test ACME CA");
        Issued wild = issued(ca, "*.shop.example.com");
        KeyPair account = TestCertificates.ec("secp256r1");
        PostgresKeyStorage storage = new PostgresKeyStorage(pg.location());
        assertEquals(null, storage.read(), "no key store before the first write");
        IssuedKeys keys = IssuedKeys.load(storage, PASSWORD);
        keys.put("wild", wild);
        keys.putAccount("https://127.0.0.1:14000/dir", account);
        keys.save();

        IssuedKeys again = IssuedKeys.load(new PostgresKeyStorage(pg.location()), PASSWORD);
        assertArrayEquals(wild.privateKey().getEncoded(), again.get("wild").orElseThrow().privateKey().getEncoded());
        assertEquals(wild.chain(), again.get("wild").orElseThrow().chain());
        assertArrayEquals(account.getPrivate().getEncoded(),
                again.account("https://127.0.0.1:14000/dir").orElseThrow().getPrivate().getEncoded());

        try (Connection c = pg.connect(); ResultSet r = c.createStatement().executeQuery("SELECT workspace, version,"
                + " pkcs12 FROM " + pg.schema() + ".certform_keystore")) {
            assertTrue(r.next());
            assertEquals(pg.workspace(), r.getString(1));
            assertEquals(1, r.getLong(2));
            byte[] bytes = r.getBytes(3);
            assertFalse(new String(bytes, StandardCharsets.ISO_8859_1).contains("PRIVATE KEY"));
            assertFalse(io.certform.keystore.IssuedKeysTestAccess.contains(bytes, wild.privateKey().getEncoded()));
            assertFalse(io.certform.keystore.IssuedKeysTestAccess.contains(bytes, account.getPrivate().getEncoded()));
            assertFalse(r.next(), "one row per workspace");
        }
        KeystoreException e = assertThrows(KeystoreException.WrongPassword.class, () -> IssuedKeys.load(storage,
                new Secret("not it", "env X", null)));
        assertFalse(e.getMessage().contains("not it") || e.getMessage().contains(PASSWORD.reveal()), e.getMessage());
    }

    @Test
    void concurrentWriters_theStaleOneIsRefused_andNothingIsLost() throws Exception {
        TestCertificates.Authority ca = TestCertificates.authority("Test ACME CA");
        IssuedKeys first = IssuedKeys.load(new PostgresKeyStorage(pg.location()), PASSWORD);
        IssuedKeys second = IssuedKeys.load(new PostgresKeyStorage(pg.location()), PASSWORD);
        first.put("a", issued(ca, "a.example.com"));
        second.put("b", issued(ca, "b.example.com"));
        first.save();
        KeystoreException.Conflict conflict = assertThrows(KeystoreException.Conflict.class, second::save,
                "two runners created the key store: the second is refused");
        assertTrue(conflict.getMessage().contains("written by another run since this one read it"),
                conflict.getMessage());
        IssuedKeys third = IssuedKeys.load(new PostgresKeyStorage(pg.location()), PASSWORD);
        IssuedKeys fourth = IssuedKeys.load(new PostgresKeyStorage(pg.location()), PASSWORD);
        third.put("c", issued(ca, "c.example.com"));
        third.save();
        fourth.put("d", issued(ca, "d.example.com"));
        assertThrows(KeystoreException.Conflict.class, fourth::save, "an update over a newer version is refused");
        assertEquals(List.of("a", "c"), IssuedKeys.load(new PostgresKeyStorage(pg.location()), PASSWORD)
                .certificates());
    }
}
