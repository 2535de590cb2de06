package io.certform.manifest;

import io.certform.base.Service;

import io.certform.diag.SourceRange;

/**
 * The {@code provider} block: which service, where, and for which project.
 *
 * @param endpoint {@code embedded}, an {@code https://host[:port]} URL, or null to derive it from the region
 * @param world    with the embedded endpoint: the world file its simulator starts from the first time (a copy of a
 *                 gateway's layout, to rehearse patterns and ids), or null for a world seeded from the manifest only
 */
public record Provider(Service service, String endpoint, String region, String projectId, java.nio.file.Path world,
                       SourceRange range) {

    public static final String EMBEDDED = "embedded";

    public boolean embedded() {
        return EMBEDDED.equals(endpoint);
    }
}
