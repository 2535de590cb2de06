/**
 * The manifest ({@code certform.yaml}): records for what the user declared, and a parser that keeps the YAML
 * position of every value and resolves {@code ${file:...}} and {@code ${env:...}} references.
 *
 * <p>The parser never throws on the first problem: it collects every problem as a diagnostic with its
 * {@code file:line:column}. Nothing here talks to the network or writes a file.
 */
package io.certform.manifest;
