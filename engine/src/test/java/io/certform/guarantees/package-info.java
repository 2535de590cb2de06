/**
 * Adversarial tests of certform's reliability guarantees (docs/reliability.md): each class attacks one guarantee
 * under the condition that would break it (a lagging read, a proxy's answer, a certificate bound again by hand, a
 * wrong project, a crash during recovery or destroy, one domain named twice) and asserts the guaranteed outcome.
 * They run certform through {@link io.certform.cli.CliRun}, start their gateways from
 * {@link io.certform.cli.SimulatedRollout} and read the state back through {@link io.certform.cli.ShopWorld}.
 */
package io.certform.guarantees;
