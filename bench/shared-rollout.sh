#!/usr/bin/env bash
# Times a shared rollout (create, attach in chunks, list attachments, rotate) on the simulator and prints it.
# Usage: bench/shared-rollout.sh [domains] [chunk]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -Dstyle.color=never -pl testkit,simulator -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/simulator-test.classpath -Dmdep.includeScope=test >/dev/null
cp="simulator/target/test-classes:simulator/target/classes:$(cat simulator/target/simulator-test.classpath)"
exec java -cp "$cp" io.certform.simulator.bench.SharedRolloutBenchmark "$@"
