package io.certform.manifest;

import io.certform.base.Secret;
import io.certform.base.Service;
import io.certform.base.SourceRange;
import java.time.Duration;

/**
 * A provider block: which service, where, for which project, with which credentials and run settings. The single
 * {@code provider:} block is the provider named {@value #DEFAULT}; {@code providers:} names any others.
 *
 * @param name        the provider's name ({@value #DEFAULT} for the {@code provider:} block)
 * @param endpoint    {@code embedded}, an {@code https://host[:port]} URL, or null to derive it from the region
 * @param world       with the embedded endpoint: the world file its simulator starts from the first time (a copy of a
 *                    gateway's layout, to rehearse patterns and ids), or null for a world seeded from the manifest only
 * @param attachChunk the most domains one attach or detach call of the shared model names ({@code attach_chunk})
 * @param credentials the block's {@code credentials} (references, resolved), or null for the conventional sources
 * @param settings    the block's run settings (each null when it sets none: the command line's value applies)
 */
public record Provider(String name, Service service, String endpoint, String region, String projectId,
                       java.nio.file.Path world, SourceRange range, int attachChunk, Credentials credentials,
                       RunSettings settings) {

    public static final String EMBEDDED = "embedded";
    /** The name of the {@code provider:} block, and of the provider bindings use when none is named. */
    public static final String DEFAULT = "default";
    /** Domains per attach/detach call unless {@code attach_chunk} says otherwise (the API documents no limit). */
    public static final int DEFAULT_ATTACH_CHUNK = 100;
    /** The most {@code attach_chunk} accepts. */
    public static final int MAX_ATTACH_CHUNK = 1000;

    public Provider {
        if (name == null) {
            name = DEFAULT;
        }
        if (settings == null) {
            settings = RunSettings.NONE;
        }
    }

    /** The default provider, as the single {@code provider:} block declares it. */
    public Provider(Service service, String endpoint, String region, String projectId, java.nio.file.Path world,
                    SourceRange range, int attachChunk) {
        this(DEFAULT, service, endpoint, region, projectId, world, range, attachChunk, null, RunSettings.NONE);
    }

    public Provider(Service service, String endpoint, String region, String projectId, java.nio.file.Path world,
                    SourceRange range) {
        this(service, endpoint, region, projectId, world, range, DEFAULT_ATTACH_CHUNK);
    }

    public boolean embedded() {
        return EMBEDDED.equals(endpoint);
    }

    public boolean isDefault() {
        return DEFAULT.equals(name);
    }

    /** How the manifest names this block in messages: {@code provider}, or {@code providers.NAME}. */
    public String where() {
        return where(name);
    }

    static String where(String name) {
        return DEFAULT.equals(name) ? "provider" : "providers." + name;
    }

    /** What a resource address of provider {@code name} starts with: nothing for the default, else {@code provider.NAME.}. */
    public static String addressPrefix(String name) {
        return name == null || DEFAULT.equals(name) ? "" : "provider." + name + ".";
    }

    /**
     * A provider's {@code credentials:}: an access key pair ({@code ak}, {@code sk}, with {@code security_token} for a
     * temporary one) or a {@code token}; each value read from its reference. {@link #source()} says where from, never
     * the secret.
     */
    public record Credentials(Secret accessKey, Secret secretKey, Secret securityToken, Secret token,
                              SourceRange range) {
        /** Where the values come from, safe to show: e.g. {@code ${env:EU_AK} / ${env:EU_SK}}. */
        public String source() {
            if (token != null) {
                return token.origin();
            }
            return accessKey.origin() + " / " + secretKey.origin();
        }
    }

    /**
     * A provider's own run settings; a null one takes the command line's value.
     *
     * @param rate calls per second ({@code rate: 20/s})
     */
    public record RunSettings(Integer parallelism, Double rate, Duration connectTimeout, Duration readTimeout,
                              Duration callTimeout, Duration settleWindow) {
        public static final RunSettings NONE = new RunSettings(null, null, null, null, null, null);
    }
}
