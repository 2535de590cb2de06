package io.certform.manifest;

import io.certform.base.Service;

import io.certform.diag.SourceRange;

/**
 * The {@code provider} block: which service, where, and for which project.
 *
 * @param endpoint {@code embedded}, an {@code https://host[:port]} URL, or null to derive it from the region
 */
public record Provider(Service service, String endpoint, String region, String projectId, SourceRange range) {

    public static final String EMBEDDED = "embedded";

    public boolean embedded() {
        return EMBEDDED.equals(endpoint);
    }
}
