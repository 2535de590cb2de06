/**
 * The benchmark's generator ({@link io.certform.bench.BenchWorkspace}): manifests, certificates, states and
 * simulator worlds for {@code bench/run.sh}, which measures whole certform processes. Nothing here asserts on
 * time; the test only checks that the generated workspace is what the benchmark claims to measure.
 */
package io.certform.bench;
