/**
 * The vocabulary every stage shares: secrets that never print, the environment, the gateway service, durations,
 * the one {@link io.certform.base.Sleeper}, and {@link io.certform.base.CrashPoint} (the named moments a test may
 * kill the process at). It sits at the bottom: it imports no other certform package, and nothing here performs
 * I/O (a crash point only halts the process, and only when a test arms it).
 */
package io.certform.base;
