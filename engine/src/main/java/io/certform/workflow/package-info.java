/**
 * The services the commands call: load a workspace (manifest, certificates, state store), plan against the
 * state, and apply. They compose the pipeline's stages; they print nothing (views do).
 */
package io.certform.workflow;
