/**
 * Diagnostics: problems found in the user's input, each with a severity, a summary, a detail saying what to do,
 * and where it is ({@code file:line:column}). Problems are collected and shown together, never thrown one by one.
 */
package io.certform.diag;
