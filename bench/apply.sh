#!/usr/bin/env bash
# Applies N bindings against the simulator with a fixed latency and prints wall time against the ideal.
# Usage: bench/apply.sh [bindings=10000] [latency_ms=20] [parallelism=50]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -Dstyle.color=never -pl engine -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/engine-test.classpath -Dmdep.includeScope=test >/dev/null 2>&1
cp="engine/target/test-classes:engine/target/classes:$(cat engine/target/engine-test.classpath)"
exec java -Xmx2g -cp "$cp" io.certform.bench.ApplyBenchmark "$@"
