package io.certform.manifest;

import io.certform.base.Service;

import io.certform.base.SourceRange;

/**
 * The {@code provider} block: which service, where, and for which project.
 *
 * @param endpoint {@code embedded}, an {@code https://host[:port]} URL, or null to derive it from the region
 * @param world    with the embedded endpoint: the world file its simulator starts from the first time (a copy of a
 *                 gateway's layout, to rehearse patterns and ids), or null for a world seeded from the manifest only
 * @param attachChunk  the most domains one attach or detach call of the shared model names ({@code attach_chunk})
 */
public record Provider(Service service, String endpoint, String region, String projectId, java.nio.file.Path world,
                       SourceRange range, int attachChunk) {

    public static final String EMBEDDED = "embedded";
    /** Domains per attach/detach call unless {@code attach_chunk} says otherwise (the API documents no limit). */
    public static final int DEFAULT_ATTACH_CHUNK = 100;
    /** The most {@code attach_chunk} accepts. */
    public static final int MAX_ATTACH_CHUNK = 1000;

    public Provider(Service service, String endpoint, String region, String projectId, java.nio.file.Path world,
                    SourceRange range) {
        this(service, endpoint, region, projectId, world, range, DEFAULT_ATTACH_CHUNK);
    }

    public boolean embedded() {
        return EMBEDDED.equals(endpoint);
    }
}
