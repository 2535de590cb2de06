package io.certform.state.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the server, the credentials and the TLS options come from; the password never shows. No server needed. */
class PostgresLocationTest {

    private static PostgresLocation resolve(String url, Map<String, String> env) {
        return PostgresLocation.resolve(url, null, null, null, env::get);
    }

    @Test
    void aJdbcUrl_keepsItsParameters_andGivesUpItsCredentials() {
        PostgresLocation l = resolve("jdbc:postgresql://db.internal:6432/infra?user=ci&password=s3cr3t"
                + "&sslmode=verify-full&sslrootcert=/etc/ca.pem", Map.of());
        assertEquals("jdbc:postgresql://db.internal:6432/infra?sslmode=verify-full&sslrootcert=/etc/ca.pem", l.jdbcUrl());
        assertEquals("ci", l.user());
        assertEquals("s3cr3t", l.password().value());
        assertEquals("s3cr3t", l.properties().getProperty("password"));
        assertEquals("0", l.properties().getProperty("prepareThreshold"), "no named prepared statements (PgBouncer)");
        assertFalse(l.toString().contains("s3cr3t"), l.toString());
        assertEquals("certform", l.schema());
        assertEquals("default", l.workspace());
    }

    @Test
    void aLibpqUrl_withUserInfo_isRead() {
        PostgresLocation l = resolve("postgres://ci:p%40ss@db:5432/infra?sslmode=require", Map.of());
        assertEquals("jdbc:postgresql://db:5432/infra?sslmode=require", l.jdbcUrl());
        assertEquals("ci", l.user());
        assertEquals("p@ss", l.password().value());
    }

    @Test
    void theUrlVariable_thenThePgVariables_nameTheServer() {
        assertEquals("jdbc:postgresql://a:1/b", resolve(null, Map.of("CERTFORM_PG_URL", "jdbc:postgresql://a:1/b",
                "PGHOST", "ignored")).jdbcUrl());
        PostgresLocation l = resolve(null, Map.of("PGHOST", "pg.example", "PGPORT", "5433", "PGDATABASE", "infra",
                "PGUSER", "svc", "PGPASSWORD", "pw", "PGSSLMODE", "verify-ca", "PGSSLROOTCERT", "/ca.pem"));
        assertEquals("jdbc:postgresql://pg.example:5433/infra?sslrootcert=/ca.pem&sslmode=verify-ca", l.jdbcUrl());
        assertEquals("svc", l.user());
        assertEquals("pw", l.password().value());
        PostgresLocation filled = resolve("jdbc:postgresql://h/db", Map.of("PGUSER", "u", "PGPASSWORD", "p",
                "PGSSLMODE", "require"));
        assertEquals("u", filled.user());
        assertEquals("p", filled.password().value());
        assertEquals("jdbc:postgresql://h/db?sslmode=require", filled.jdbcUrl(), "what the URL leaves out is filled");
        assertNull(resolve("jdbc:postgresql://h/db", Map.of("USER", "me")).password().value());
    }

    @Test
    void notAPostgresUrl_isRefused_withoutShowingThePassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> resolve("mysql://u:topsecret@h/db", Map.of()));
        assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
        assertTrue(e.getMessage().contains("not a PostgreSQL URL"), e.getMessage());
    }

    @Test
    void redact_hidesPasswordsInUrls() {
        assertEquals("postgres://u:***@h/db?password=***&sslmode=require",
                PostgresLocation.redact("postgres://u:pw@h/db?password=x&sslmode=require"));
    }

    /**
     * A generated password often holds '/' (base64), which a URL should escape but people rarely do. Read as the
     * user meant it (the credentials end at the last '@'), and never shown, neither resolved nor in a refusal.
     */
    @Test
    void aPasswordWithASlashOrAnAt_unescaped_isReadAsThePassword_andNeverShown() {
        PostgresLocation l = resolve("postgres://ci:Zx/9k+Q@w@db.internal:5432/infra", Map.of());
        assertEquals("ci", l.user());
        assertEquals("Zx/9k+Q@w", l.password().value());
        assertEquals("jdbc:postgresql://db.internal:5432/infra", l.jdbcUrl());
        assertFalse(l.display().contains("9k"), l.display());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> resolve("mysql://ci:Zx/9k+Q@db.internal/infra", Map.of()));
        assertFalse(e.getMessage().contains("9k"), e.getMessage());
        assertFalse(PostgresLocation.redact("cannot reach jdbc:postgresql://ci:Zx/9k+Q@db/x: refused").contains("9k"));
        assertEquals("postgres://db:5432/infra?user=a@b", PostgresLocation.redact("postgres://db:5432/infra?user=a@b"),
                "an '@' in the query is no password");
    }

    /** A malformed %-escape in the credentials is refused without quoting them. */
    @Test
    void aBadEscapeInThePassword_isRefused_withoutQuotingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> resolve("postgres://ci:ab%zzcd@db/infra", Map.of()));
        assertFalse(e.getMessage().contains("zz"), e.getMessage());
        assertTrue(e.getMessage().contains("%"), e.getMessage());
    }
}
