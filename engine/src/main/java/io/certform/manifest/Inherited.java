package io.certform.manifest;

/** Inherited values: manifest defaults, then a certificate's own. */
record Inherited(String instanceId, String groupId, String type, int expiryWarningDays, int minDaysRemaining) {

    Inherited over(String instance, String group, String t, Integer warning, Integer minimum) {
        return new Inherited(instance != null ? instance : instanceId, group != null ? group : groupId,
                t != null ? t : type, warning != null ? warning : expiryWarningDays,
                minimum != null ? minimum : minDaysRemaining);
    }
}
