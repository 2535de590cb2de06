package io.certform.plan;

import io.certform.base.SourceRange;
import java.util.List;

/**
 * A manifest {@code match:} entry with its certificate read and checked: it stands for one binding per domain
 * its pattern selects when the plan is made.
 *
 * @param groupId null to look in every group of the instance
 * @param match    the pattern as written (lower case); see {@link io.certform.base.NamePattern}
 * @param provider the name of the provider its bindings go to
 */
public record DesiredPattern(String certificateKey, String instanceId, String groupId, String match,
                             DesiredBinding.Upload upload, SourceRange range, String provider) {

    public DesiredPattern {
        if (provider == null) {
            provider = io.certform.manifest.Provider.DEFAULT;
        }
    }

    public DesiredPattern(String certificateKey, String instanceId, String groupId, String match,
                          DesiredBinding.Upload upload, SourceRange range) {
        this(certificateKey, instanceId, groupId, match, upload, range, null);
    }

    /**
     * The binding of one selected domain: addressed {@code KEY[name]} ({@code provider.P.KEY[name]} under another
     * provider than the default) like a domain named in the manifest.
     */
    public DesiredBinding bind(String domainGroupId, String domainId, String urlDomain) {
        return new DesiredBinding(io.certform.manifest.Provider.addressPrefix(provider) + certificateKey + "["
                + urlDomain + "]", certificateKey,
                new DesiredBinding.Domain(instanceId, domainGroupId, domainId, urlDomain), upload, range, provider);
    }

    /** Where the pattern looks, for messages and the plan: "group G of instance I" or "every group of instance I". */
    public String scope() {
        return groupId != null ? "group " + groupId + " of instance " + instanceId
                : "every group of instance " + instanceId;
    }

    /**
     * What one pattern selected at plan time, for the plan's listing.
     *
     * @param selected the names of the selected domains, sorted
     */
    public record Selection(String certificateKey, String match, String scope, List<String> selected,
                            SourceRange range) {
        public Selection {
            selected = List.copyOf(selected);
        }
    }
}
