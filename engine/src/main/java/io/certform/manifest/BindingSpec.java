package io.certform.manifest;

import io.certform.base.SourceRange;

/**
 * One entry of a certificate's {@code domains}: a domain that should carry the certificate. Each is one resource.
 *
 * @param address    {@code KEY[DOMAIN]} ({@code provider.P.KEY[DOMAIN]} under a provider P other than the default),
 *                   the domain's name where known, else its id
 * @param domainId   the domain's id; null when the binding names the domain only
 * @param domain     the domain's name; null when the binding gives the id only
 * @param match      a {@code match:} pattern (then domainId and domain are null, and groupId is null for a
 *                   pattern over the whole instance); null for a binding of one named domain
 * @param provider   the name of the provider the binding goes to ({@value Provider#DEFAULT} for the default one)
 */
public record BindingSpec(String address, String instanceId, String groupId, String domainId, String domain,
                          SourceRange range, String match, String provider) {

    public BindingSpec {
        if (provider == null) {
            provider = Provider.DEFAULT;
        }
    }

    public BindingSpec(String address, String instanceId, String groupId, String domainId, String domain,
                       SourceRange range, String match) {
        this(address, instanceId, groupId, domainId, domain, range, match, Provider.DEFAULT);
    }

    public BindingSpec(String address, String instanceId, String groupId, String domainId, String domain,
                       SourceRange range) {
        this(address, instanceId, groupId, domainId, domain, range, null);
    }

    /** True for a {@code match:} entry, which stands for every domain its pattern selects at plan time. */
    public boolean isPattern() {
        return match != null;
    }
}
