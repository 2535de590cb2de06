package io.certform.state.postgres;

import io.certform.state.ResourceState;
import io.certform.state.State;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/**
 * {@code certform_binding}: one row per binding of a workspace's current state, replaced in the transaction that
 * writes the state, so that SQL answers inventory questions (what expires within 30 days, every domain of one
 * certificate, bindings per instance) without reading the state documents. Rows are a copy: the state is the truth.
 */
final class PostgresInventory {

    /** The certificate model of a binding as recorded: one certificate per domain (the seed's call). */
    static final String PER_DOMAIN = "per-domain";

    private static final int CHUNK = 500;

    private PostgresInventory() {
    }

    /** Makes the workspace's rows those of {@code state}. */
    static void replace(Connection c, String schema, String workspace, State state) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + schema + ".certform_binding WHERE workspace = ?")) {
            s.setString(1, workspace);
            s.executeUpdate();
        }
        List<ResourceState> rows = state.resources();
        java.util.Map<String, ResourceState> certificates = new java.util.HashMap<>();
        for (ResourceState r : rows) {
            if (r.certificateResource() && !r.deposed()) {
                certificates.put(r.certificate(), r);
            }
        }
        for (int from = 0; from < rows.size(); from += CHUNK) {
            List<ResourceState> chunk = rows.subList(from, Math.min(rows.size(), from + CHUNK));
            StringBuilder sql = new StringBuilder("INSERT INTO ").append(schema).append(".certform_binding (workspace,"
                    + " address, deposed, provider, certificate, instance_id, group_id, domain_id, url_domain, ssl_id, ssl_name,"
                    + " type, model, algorithm_type, serial_number, not_after, cert_sha256, issuer, state_serial)"
                    + " VALUES ");
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            }
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                int p = 1;
                for (ResourceState row : chunk) {
                    // an attachment's certificate facts are its shared certificate's: one query answers expiry
                    ResourceState r = row;
                    ResourceState content = row.shared() && !row.certificateResource()
                            ? certificates.getOrDefault(row.certificate(), row) : row;
                    s.setString(p++, workspace);
                    s.setString(p++, r.address());
                    s.setString(p++, r.deposed() ? r.deposedKey() : ""); // '' the live object
                    s.setString(p++, r.provider());
                    s.setString(p++, r.certificate());
                    s.setString(p++, r.instanceId());
                    s.setString(p++, r.groupId());
                    s.setString(p++, r.domainId());
                    s.setString(p++, r.urlDomain());
                    s.setString(p++, r.sslId());
                    s.setString(p++, content.sslName());
                    s.setString(p++, r.type());
                    s.setString(p++, r.shared() ? ResourceState.SHARED : PER_DOMAIN);
                    s.setString(p++, content.algorithmType());
                    s.setString(p++, content.serialNumber());
                    java.sql.Timestamp notAfter = PostgresStateStore.timestamp(content.notAfter());
                    if (notAfter == null) {
                        s.setNull(p++, Types.TIMESTAMP_WITH_TIMEZONE);
                    } else {
                        s.setObject(p++, java.time.OffsetDateTime.ofInstant(notAfter.toInstant(),
                                java.time.ZoneOffset.UTC));
                    }
                    s.setString(p++, content.certSha256());
                    s.setString(p++, content.issuer());
                    s.setLong(p++, state.serial());
                }
                s.executeUpdate();
            }
        }
    }
}
