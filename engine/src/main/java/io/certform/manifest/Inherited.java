package io.certform.manifest;

import io.certform.base.SourceRange;

/**
 * Inherited values: manifest defaults, then a certificate's own.
 *
 * @param provider      the provider named by defaults or the certificate, or null when neither names one
 * @param providerRange where that name is written
 */
record Inherited(String instanceId, String groupId, String type, int expiryWarningDays, int minDaysRemaining,
                 String provider, SourceRange providerRange) {

    Inherited(String instanceId, String groupId, String type, int expiryWarningDays, int minDaysRemaining) {
        this(instanceId, groupId, type, expiryWarningDays, minDaysRemaining, null, null);
    }

    Inherited over(String instance, String group, String t, Integer warning, Integer minimum) {
        return new Inherited(instance != null ? instance : instanceId, group != null ? group : groupId,
                t != null ? t : type, warning != null ? warning : expiryWarningDays,
                minimum != null ? minimum : minDaysRemaining, provider, providerRange);
    }

    /** The same values with {@code name} (written at {@code at}) as the provider, when it is not null. */
    Inherited onProvider(String name, SourceRange at) {
        return name == null ? this : new Inherited(instanceId, groupId, type, expiryWarningDays, minDaysRemaining,
                name, at);
    }
}
