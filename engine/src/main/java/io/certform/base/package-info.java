/**
 * The vocabulary every stage shares: secrets that never print, the environment, the gateway service, durations,
 * the one {@link io.certform.base.Sleeper}, {@link io.certform.base.Exhaustion} (what the machine ran out of),
 * {@link io.certform.base.CrashPoint} (the named moments a test may kill the process at) and
 * {@link io.certform.base.IoFault} (the named writes a test may make fail). It sits at the bottom: it imports no
 * other certform package, and nothing here performs I/O (a crash point only halts the process, and an I/O fault
 * only throws, and only when a test arms them).
 */
package io.certform.base;
