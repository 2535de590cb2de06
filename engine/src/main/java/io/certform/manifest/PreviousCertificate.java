package io.certform.manifest;

import io.certform.base.Secret;
import io.certform.base.SourceRange;

/**
 * A certificate's {@code previous:} material: what a rollout with {@code on_failure: rollback} binds again on the
 * domains of the waves done, in the per-domain model. The key is a {@link Secret}: never printed.
 *
 * @param range where {@code previous} is, for messages
 */
public record PreviousCertificate(SourceValue certContent, Secret privateKey, SourceRange range) {
}
