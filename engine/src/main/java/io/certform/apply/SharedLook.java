package io.certform.apply;

import io.certform.api.CertificateDetail;
import io.certform.api.DomainLocation;
import io.certform.remote.Identity;
import io.certform.remote.RemoteDirectory;
import io.certform.remote.RemoteReadException;
import io.certform.state.ResourceState;
import java.time.Duration;
import java.time.Instant;

/**
 * Looks, for recovery, at what became of a call of the certificate-management model that an earlier run sent
 * and never heard back from. A created certificate is one whose name, serial, expiry, type and client-CA setting
 * all match (the one identity rule), never one found by name alone, and never the certificate it replaced.
 */
final class SharedLook {

    private SharedLook() {
    }

    static IntentResolver.Resolution resolve(IntentResolver.OpenCall call, RemoteDirectory remote, boolean fresh,
                                             Instant now, Duration settleWindow) throws InterruptedException {
        ResourceState planned = call.planned();
        Boolean shows;
        ResourceState adopted = null;
        try {
            switch (call.op()) {
                case CREATE_CERTIFICATE -> {
                    CertificateDetail found = null;
                    for (CertificateDetail c : remote.managedCertificatesNamed(planned.sslName())) {
                        if (!c.id().equals(call.oldSslId())
                                && Identity.matches(Identity.Expected.of(planned), c, null)) {
                            found = c;
                            break;
                        }
                    }
                    shows = found != null;
                    if (found != null) {
                        adopted = planned.bound(found.id(), found.name(), null).boundAt(now);
                    }
                }
                case UPDATE_CERTIFICATE -> {
                    CertificateDetail now2 = remote.managedCertificate(planned.sslId(), fresh);
                    shows = now2 != null && Identity.matches(Identity.Expected.of(planned), now2, null);
                    adopted = planned.boundAt(now);
                }
                case DELETE_CERTIFICATE -> shows = remote.managedCertificate(planned.sslId(), fresh) == null;
                case ATTACH -> {
                    shows = remote.carriesManaged(at(planned), planned.sslId(), fresh);
                    adopted = planned.boundAt(now);
                }
                case DETACH -> shows = !remote.carriesManaged(at(planned), planned.sslId(), fresh);
                default -> throw new IllegalArgumentException("not a call of the shared model: " + call.op());
            }
        } catch (RemoteReadException e) {
            shows = null;
        }
        return IntentResolver.resolveShared(call, shows, adopted, now, settleWindow);
    }

    private static DomainLocation at(ResourceState r) {
        return new DomainLocation(r.instanceId(), r.groupId(), r.domainId());
    }
}
