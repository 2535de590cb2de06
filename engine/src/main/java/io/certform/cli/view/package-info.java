/**
 * Renderers of plans, diagnostics and apply events, for people (Terraform's layout, optional colour) and for
 * machines (JSON). A view prints what it is given and never a private key: key material is not part of any value
 * a view receives except {@link io.certform.plan.CertificateMaterial}, which views never read.
 */
package io.certform.cli.view;
