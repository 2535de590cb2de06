/**
 * Plans: what must change to bring the recorded state to the manifest. {@link io.certform.plan.Planner#plan} is a
 * pure function of the desired bindings and the prior state.
 *
 * <p>Nothing in this package performs I/O, and no value here holds a private key except
 * {@link io.certform.plan.CertificateMaterial}, which never prints it.
 */
package io.certform.plan;
