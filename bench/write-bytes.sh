#!/usr/bin/env bash
# Usage: bench/write-bytes.sh OUT LOG COMMAND...
# Runs COMMAND with its output piped into the last 40 lines kept in LOG (so that what it prints is not counted),
# then writes into OUT the bytes that COMMAND and its children made the kernel write to storage: write_bytes less
# cancelled_write_bytes of this shell in /proc/self/io, to which the kernel adds the counters of each reaped child.
# Measured from outside: certform itself counts nothing. Linux only.
out=$1 log=$2
shift 2
"$@" 2>&1 | tail -n 40 >"$log"
rc=${PIPESTATUS[0]}
awk '/^write_bytes/ { w = $2 } /^cancelled_write_bytes/ { c = $2 } END { print w - c }' "/proc/$$/io" >"$out"
exit "$rc"
