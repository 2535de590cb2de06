package io.certform.manifest;

import io.certform.diag.SourceRange;

/**
 * One entry of a certificate's {@code domains}: a domain that should carry the certificate. Each is one resource.
 *
 * @param address    {@code KEY[DOMAIN]}, the domain's name where known, else its id
 * @param domainId   the domain's id; null when the binding names the domain only
 * @param domain     the domain's name; null when the binding gives the id only
 */
public record BindingSpec(String address, String instanceId, String groupId, String domainId, String domain,
                          SourceRange range) {
}
