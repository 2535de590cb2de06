package io.certform.api;

/** The path coordinates of a domain: instance, API group, domain id. */
public record DomainLocation(String instanceId, String groupId, String domainId) {
}
