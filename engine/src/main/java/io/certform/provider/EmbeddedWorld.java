package io.certform.provider;

import io.certform.plan.DesiredBinding;
import io.certform.simulator.World;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Seeds the embedded simulator's world from the manifest, so that every instance, group and domain the manifest
 * names exists. Ids and names the manifest leaves out are made up, deterministically:
 * <ul>
 *   <li>a domain named but given no id gets a 32-hex id derived from instance, group and name;</li>
 *   <li>a domain given by id only gets a name its certificate covers (the first DNS name of the certificate, a
 *       wildcard's label replaced by the id's first characters).</li>
 * </ul>
 */
final class EmbeddedWorld {
    private EmbeddedWorld() {
    }

    static void seed(World world, List<DesiredBinding> bindings) {
        for (DesiredBinding b : bindings) {
            if (b.domainId() != null) {
                world.addDomain(b.instanceId(), b.groupId(), b.domainId(),
                        b.urlDomain() != null ? b.urlDomain() : coveredName(b));
            } else if (world.domainIdByName(b.instanceId(), b.groupId(), b.urlDomain()) == null) {
                world.addDomain(b.instanceId(), b.groupId(), derivedId(b), b.urlDomain());
            }
            if (b.certificateInstanceId() != null) {
                world.addInstance(b.certificateInstanceId());
            }
        }
    }

    /**
     * The instance (and group) each {@code match:} entry looks in, so that a pattern reads an empty scope rather
     * than a missing one; the domains it can select are those named elsewhere in the manifest.
     */
    static void seedPatternScopes(World world, List<io.certform.manifest.BindingSpec> specs) {
        for (io.certform.manifest.BindingSpec b : specs) {
            if (!b.isPattern()) {
                continue;
            }
            if (b.groupId() != null) {
                world.addGroup(b.instanceId(), b.groupId());
            } else {
                world.addInstance(b.instanceId());
            }
        }
    }

    static String derivedId(DesiredBinding b) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((b.instanceId() + "/" + b.groupId() + "/"
                    + b.urlDomain()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String coveredName(DesiredBinding b) {
        List<String> names = b.certificate().dnsNames();
        String name = names.isEmpty() ? "example.invalid" : names.get(0);
        if (name.startsWith("*.")) {
            return "d" + b.domainId().substring(0, Math.min(8, b.domainId().length())).toLowerCase() + name.substring(1);
        }
        return name;
    }
}
