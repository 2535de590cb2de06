/**
 * The vocabulary every stage shares: secrets that never print, the environment, the gateway service, durations,
 * and the one {@link io.certform.base.Sleeper}. It sits at the bottom: it imports no other certform package,
 * and nothing here performs I/O.
 */
package io.certform.base;
