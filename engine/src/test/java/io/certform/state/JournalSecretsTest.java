package io.certform.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a journal line may hold, field by field. A field added to a record or to {@link ResourceState} (a PEM, a key)
 * fails here until it is reviewed and listed.
 */
class JournalSecretsTest {

    private static final Set<String> BINDING = Set.of("address", "certificate", "instance_id", "group_id", "domain_id",
            "url_domain", "ssl_id", "ssl_name", "type", "certificate_instance_id", "algorithm_type", "cert_sha256",
            "chain_sha256", "trusted_root_ca_sha256", "serial_number", "not_after", "issuer",
            "san", "public_key_sha256", "bound_at");

    private static final ResourceState FULL = new ResourceState("c[a]", "c", "i", "g", "d", "a.example.com", "ssl",
            "name", "instance", "ci", "RSA", "sha", "chain", "root", "5a", "2031-01-01T00:00:00Z", "CA");

    /** Every field name in the line, nested ones as parent.child. */
    private static Set<String> fields(JournalRecord record) {
        JsonNode line = JsonMapper.builder().build().readTree(new String(JournalCodec.encode(record),
                StandardCharsets.UTF_8));
        Set<String> names = new TreeSet<>();
        collect("", line, names);
        return names;
    }

    private static void collect(String prefix, JsonNode node, Set<String> names) {
        for (Iterator<String> it = node.propertyNames().iterator(); it.hasNext(); ) {
            String name = it.next();
            JsonNode value = node.get(name);
            names.add(prefix + name);
            if (value.isObject()) {
                collect(prefix + name + ".", value, names);
            } else {
                assertFalse(value.asString("").contains("-----BEGIN"), name + " holds PEM");
            }
        }
    }

    private static Set<String> expected(List<String> top, String nested) {
        Set<String> names = new TreeSet<>(top);
        if (nested != null) {
            names.add(nested);
            BINDING.forEach(b -> names.add(nested + "." + b));
        }
        return names;
    }

    @Test
    void everyRecordType_writesOnlyTheListedFields() {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        assertEquals(expected(List.of("kind", "op", "address", "old_ssl_id", "at"), "planned"),
                fields(JournalRecord.Intent.bind(FULL, "old", at)));
        assertEquals(expected(List.of("kind", "op", "address", "old_ssl_id", "at"), "planned"),
                fields(JournalRecord.Intent.unbind(FULL, at)));
        assertEquals(expected(List.of("kind", "op", "address"), "resource"), fields(JournalRecord.Done.bound(FULL)));
        assertEquals(expected(List.of("kind", "op", "address"), null), fields(JournalRecord.Done.unbound("c[a]")));
        assertEquals(expected(List.of("kind", "address"), null), fields(new JournalRecord.Voided("c[a]")));
    }
}
