#!/usr/bin/env bash
# Measures whole certform processes (bin/certform) and prints a table: plan --refresh=false at three sizes,
# validate under -Xmx256m, apply against the standalone simulator at 20 ms latency, refresh over 2,000 groups,
# start-up, the 10-binding plan from the unpacked release tarball, and, where terraform is on the PATH, terraform plan
# of as many terraform_data resources, side by side. Each figure is the best of --reps runs (wall time; CPU and peak
# RSS of that run).
#
# Usage: bench/run.sh [--smoke] [--reps N] [--no-build] [--offline] [--keep] [--only NAMES]
#   --smoke     small sizes, one run each: checks the harness in under a minute
#   --reps N    runs per measurement (default 3; 1 with --smoke)
#   --no-build  use the jar and test classes already built
#   --offline   build with mvn -o
#   --keep      keep the generated workspaces (printed at the end)
#   --only      comma-separated subset of: plan,validate,apply,refresh,startup,tarball,terraform,apply100k,report
#               (tarball: builds the release tarball unless --no-build and one is in dist/target;
#               apply100k: 10,000 and 100,000 creates in -Xmx256m, with the bytes written; report: certform report
#               of 10,000 and 100,000 recorded bindings, with the page's size; fleet: 3 providers x 2,000
#               bindings side by side (one simulator throttling 10% of calls) against one provider of 2,000 alone
#               and the throttling provider alone; none of these three in the default set)
# See docs/benchmarks.md for the figures and what limits them.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd -P)

smoke=false reps="" build=true offline="" keep=false only="plan,validate,apply,refresh,startup,tarball,terraform"
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=true ;;
    --reps) reps=$2; shift ;;
    --no-build) build=false ;;
    --offline) offline=-o ;;
    --keep) keep=true ;;
    --only) only=$2; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown option $1 (see --help)" >&2; exit 1 ;;
  esac
  shift
done
if $smoke; then
  plan_sizes="10 200 1000" validate_size=1000 apply_size=200 refresh_size=200 reps=${reps:-1}
  flat_sizes="200 2000" terraform_sizes="10 200"
else
  plan_sizes="10 10000 100000" validate_size=100000 apply_size=10000 refresh_size=10000 reps=${reps:-3}
  flat_sizes="10000 100000" terraform_sizes="10 10000"
fi
latency_ms=20 parallelism=50
wants() { case ",$only," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

if $build && wants tarball; then
  echo "building (mvn -q -DskipTests package, with the release tarball)..." >&2
  mvn -B -q $offline -Dstyle.color=never -DskipTests package >/dev/null
elif $build; then
  echo "building (mvn -q -DskipTests -Ddist.skip package)..." >&2
  mvn -B -q $offline -Dstyle.color=never -DskipTests -Ddist.skip package >/dev/null
fi
# The generator (engine test classes) needs the engine, BouncyCastle and Jackson (all in the shaded jar) and testkit.
cp="$root/engine/target/test-classes:$root/testkit/target/classes:$root/engine/target/certform.jar"
work=$(mktemp -d "${TMPDIR:-/tmp}/certform-bench.XXXXXX")
sim_pid=""
cleanup() {
  if [ -n "$sim_pid" ]; then kill $sim_pid 2>/dev/null || true; wait $sim_pid 2>/dev/null || true; fi
  if ! $keep; then rm -rf "$work"; fi
}
trap cleanup EXIT
export CERTFORM_AUTH_TOKEN=bench NO_COLOR=1
unset CERTFORM_JAVA_OPTS || true

generate() { # DIR BINDINGS [generator options]
  java -cp "$cp" io.certform.bench.BenchWorkspace "$@" >/dev/null
}

# measure NAME -- COMMAND...: runs it $reps times; sets best_wall, best_cpu, best_rss (MiB) from the fastest run.
# A run that exits other than 0 or 2 stops the harness with its output.
have_time=false
[ -x /usr/bin/time ] && have_time=true
measure() {
  local name=$1; shift; shift
  best_wall="" best_cpu="" best_rss=""
  local i
  for i in $(seq "$reps"); do
    [ -n "${before_each:-}" ] && eval "$before_each"
    local log="$work/$name.$i.log" t="$work/$name.$i.time" rc=0 wall cpu rss
    if $have_time; then
      /usr/bin/time -f '%e %U %S %M' -o "$t" "$@" >"$log" 2>&1 || rc=$?
      read -r wall user sys rss_kb < <(tail -n 1 "$t")
      cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
      rss=$(( rss_kb / 1024 ))
    else
      local start end
      start=$(date +%s.%N)
      "$@" >"$log" 2>&1 || rc=$?
      end=$(date +%s.%N)
      wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }') cpu="n/a" rss="n/a"
    fi
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then
      echo "bench/run.sh: $name failed (exit $rc):" >&2; tail -n 20 "$log" >&2; exit 1
    fi
    if [ -z "$best_wall" ] || awk -v a="$wall" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then
      best_wall=$wall best_cpu=$cpu best_rss=$rss
    fi
  done
}

rows=()
row() { rows+=("| $1 | $2 | $best_wall | $best_cpu | $best_rss | $3 |"); }
certform=("$root/bin/certform")

load_before=$(uptime | sed 's/.*load average: //')

if wants plan || wants validate || wants startup || wants tarball; then
  for n in $plan_sizes $validate_size; do
    [ -d "$work/plan-$n" ] && continue
    echo "generating plan-$n..." >&2
    generate "$work/plan-$n" "$n" --state
  done
fi

if wants startup; then
  measure version -- "${certform[@]}" version
  row "certform version" "-" "start-up only"
  small=${plan_sizes%% *}
  measure startup-plan -- "${certform[@]}" plan --refresh=false -f "$work/plan-$small/certform.yaml"
  row "plan --refresh=false (start-up)" "$small" "whole process"
fi

if wants report; then
  for n in $flat_sizes; do
    [ -d "$work/report-$n" ] || { echo "generating report-$n..." >&2; generate "$work/report-$n" "$n" --state --spread --certificates 12; }
    export CERTFORM_JAVA_OPTS=-Xmx256m
    measure "report-$n" -- "${certform[@]}" report -f "$work/report-$n/certform.yaml" -o "$work/report-$n/report.html"
    unset CERTFORM_JAVA_OPTS
    size=$(stat -c %s "$work/report-$n/report.html")
    row "report, -Xmx256m" "$n" "the page: $(( size / 1024 )) KiB; $(( n / 10 )) certificates, state records every binding"
    # the page in headless Chromium: load, sort by domain, filter (figures only; exits 1 if the page is wrong)
    if [ -x "${CERTFORM_CHROMIUM:-/usr/bin/chromium}" ]; then
      java -cp "$cp" io.certform.report.ReportBrowserBench "$work/report-$n/report.html" "$n" "$(( n / 10 ))" \
        | tee -a "$work/report-browser.log" >&2
    else
      echo "chromium is not installed: no browser figures for the report" >&2
    fi
  done
fi

if wants tarball; then
  # As a user installs it: unpacked into a folder of its own, its class-data archive made by a first run (not measured)
  # in the user's cache.
  tarball=$(ls "$root"/dist/target/certform-*-linux-x86_64.tar.gz 2>/dev/null | head -n 1)
  [ -n "$tarball" ] || { echo "bench/run.sh: no release tarball in dist/target (build without --no-build)" >&2; exit 1; }
  mkdir -p "$work/opt"
  tar -xzf "$tarball" -C "$work/opt"
  installed=$(ls -d "$work"/opt/certform-*/bin/certform | head -n 1)
  small=${plan_sizes%% *}
  export XDG_CACHE_HOME="$work/cache"
  "$installed" plan --refresh=false -f "$work/plan-$small/certform.yaml" >/dev/null 2>&1 || true
  measure "tarball-plan-$small" -- "$installed" plan --refresh=false -f "$work/plan-$small/certform.yaml"
  unset XDG_CACHE_HOME
  row "plan --refresh=false, unpacked release tarball" "$small" \
    "its own runtime; class-data archive from the first run, in the user's cache"
fi

if wants terraform && command -v terraform >/dev/null 2>&1; then
  # terraform plan -refresh=false of N terraform_data resources (built into terraform: no provider to download), two
  # attributes each like a binding, over a state that records them all (written here: an apply of 10,000 takes over
  # 10 minutes).
  for n in $terraform_sizes; do
    dir="$work/terraform-$n"
    mkdir -p "$dir"
    # one block per resource, as a configuration lists its bindings (a count of 10,000 makes terraform's plan
    # superlinear: over 80 s of CPU here, against about 1.5 s per 1,000 blocks)
    awk -v n="$n" 'BEGIN {
      for (i = 0; i < n; i++)
        printf "resource \"terraform_data\" \"b%d\" {\n  input = { group_id = \"g%d\", domain = \"d%d.example.com\" }\n}\n", i, int(i / 5), i
    }' >"$dir/main.tf"
    awk -v n="$n" 'BEGIN {
      printf "{\"version\":4,\"terraform_version\":\"1.5.0\",\"serial\":1,\"lineage\":\"bench-%d\",\"outputs\":{},\"resources\":[", n
      for (i = 0; i < n; i++) {
        v = sprintf("{\"value\":{\"domain\":\"d%d.example.com\",\"group_id\":\"g%d\"},\"type\":[\"object\",{\"domain\":\"string\",\"group_id\":\"string\"}]}", i, int(i / 5))
        printf "%s{\"mode\":\"managed\",\"type\":\"terraform_data\",\"name\":\"b%d\",", (i ? "," : ""), i
        printf "\"provider\":\"provider[\\\"terraform.io/builtin/terraform\\\"]\",\"instances\":[{\"schema_version\":0,"
        printf "\"attributes\":{\"id\":\"id-%d\",\"input\":%s,\"output\":%s,\"triggers_replace\":null},\"sensitive_attributes\":[]}]}", i, v, v
      }
      printf "],\"check_results\":null}\n"
    }' >"$dir/terraform.tfstate"
    (cd "$dir" && terraform init -input=false -no-color >"$work/terraform-init-$n.log" 2>&1) \
      || { echo "bench/run.sh: terraform init failed:" >&2; tail -n 20 "$work/terraform-init-$n.log" >&2; exit 1; }
    measure "terraform-$n" -- terraform -chdir="$dir" plan -refresh=false -input=false -no-color -detailed-exitcode
    grep -q "No changes" "$work/terraform-$n.1.log" \
      || { echo "bench/run.sh: terraform plan of $n shows changes:" >&2; tail -n 20 "$work/terraform-$n.1.log" >&2; exit 1; }
    row "terraform plan -refresh=false ($(terraform version | head -n 1))" "$n" \
      "terraform_data resources, state records every one: the same shape, side by side"
  done
elif wants terraform; then
  echo "terraform is not on the PATH: no terraform rows" >&2
fi

if wants plan; then
  for n in $plan_sizes; do
    measure "plan-$n" -- "${certform[@]}" plan --refresh=false -f "$work/plan-$n/certform.yaml"
    row "plan --refresh=false" "$n" "state records every binding; 1% to update"
  done
fi

if wants validate; then
  export CERTFORM_JAVA_OPTS=-Xmx256m
  measure "validate-$validate_size" -- "${certform[@]}" validate -f "$work/plan-$validate_size/certform.yaml"
  unset CERTFORM_JAVA_OPTS
  row "validate, -Xmx256m" "$validate_size" "$(( validate_size / 10 )) certificate entries over 4 files"
  export CERTFORM_JAVA_OPTS=-Xmx256m
  measure "plan-256m-$validate_size" -- "${certform[@]}" plan --refresh=false -f "$work/plan-$validate_size/certform.yaml"
  unset CERTFORM_JAVA_OPTS
  row "plan --refresh=false, -Xmx256m" "$validate_size" "the same state as the plan rows"
fi

if wants apply || wants refresh; then
  n=$apply_size
  [ "$refresh_size" -gt "$n" ] && n=$refresh_size
  dir="$work/rollout-$n"
  echo "generating rollout-$n and its world..." >&2
  generate "$dir" "$n" --world --free-port
  port=$(cat "$dir/port")
  world_bytes=$(wc -c <"$dir/world.json")
  if [ "$world_bytes" -gt $((3 * 1024 * 1024)) ]; then
    echo "warning: world.json is $world_bytes bytes; a simulator that cannot load worlds over 3 MiB will refuse it" >&2
  fi
  "${certform[@]}" simulator --port "$port" --world "$dir/world.json" --token bench \
    --latency "${latency_ms}ms" >"$work/simulator.log" 2>&1 &
  sim_pid=$!
  base="http://127.0.0.1:$port"
  for _ in $(seq 300); do
    curl -fs "$base/_simulator/state" >/dev/null 2>&1 && break
    kill -0 "$sim_pid" 2>/dev/null || { echo "the simulator did not start:" >&2; cat "$work/simulator.log" >&2; exit 1; }
    sleep 0.1
  done
  counter() { curl -fs "$base/_simulator/state" | tr -d ' \n' | grep -o "\"$1\":[0-9]*" | tail -n 1 | cut -d: -f2; }
  fresh="rm -f '$dir'/certform.state.json* '$dir'/.certform.state.json* ; curl -fs -X POST '$base/_simulator/reset' >/dev/null"

  before_each=$fresh
  measure "apply-$n" -- "${certform[@]}" apply --auto-approve --parallelism "$parallelism" -f "$dir/certform.yaml"
  before_each=""
  ideal=$(awk -v n="$n" -v l="$latency_ms" -v p="$parallelism" 'BEGIN { printf "%.2f", n * l / 1000 / p }')
  ratio=$(awk -v w="$best_wall" -v i="$ideal" 'BEGIN { printf "%.2f", w / i }')
  per=$(awk -v c="$best_cpu" -v n="$n" 'BEGIN { if (c == "n/a") print "n/a"; else printf "%.2f", c * 1000 / n }')
  created=$(counter certificates_created)
  if wants apply; then
    row "apply, ${latency_ms} ms latency, parallelism $parallelism" "$n" \
      "ideal $ideal s: ${ratio}x; certform CPU ${per} ms/binding; $created created; world $((world_bytes / 1024)) KiB"
  fi

  if wants refresh; then
    gets_before=$(counter GET)
    measure "refresh-$n" -- "${certform[@]}" plan -f "$dir/certform.yaml"
    gets=$(( ($(counter GET) - gets_before) / reps ))
    row "plan (with refresh)" "$n" "$(( (n + 4) / 5 )) groups; $gets GET requests per run"
  fi
fi

if wants fleet; then
  # A fleet of three providers, each its own simulator at 20 ms latency (c answers 10% of calls 429 with Retry-After
  # 1s), 2,000 bindings each, applied from an empty state; then one provider of 2,000 alone (a's simulator), and the
  # throttling provider alone (c's), each from an empty state.
  if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; sim_pid=""; fi
  fn=$($smoke && echo 200 || echo 2000)
  dir="$work/fleet-one"
  echo "generating fleet-one ($fn) and its world..." >&2
  generate "$dir" "$fn" --world
  fleet_pids=() fleet_bases=()
  for p in a b c; do
    port=$(java -cp "$cp" io.certform.bench.BenchWorkspace "$work/port-$p" 0 --certificates 0 --free-port >/dev/null && cat "$work/port-$p/port")
    extra=()
    [ "$p" = c ] && extra=(--throttle-rate 0.1 --retry-after 1s)
    "${certform[@]}" simulator --port "$port" --world "$dir/world.json" --token bench --latency "${latency_ms}ms" \
      "${extra[@]}" >"$work/simulator-$p.log" 2>&1 &
    fleet_pids+=($!)
    fleet_bases+=("http://127.0.0.1:$port")
  done
  sim_pid="${fleet_pids[*]}"
  for b in "${fleet_bases[@]}"; do
    for _ in $(seq 300); do curl -fs "$b/_simulator/state" >/dev/null 2>&1 && break; sleep 0.1; done
  done
  # the fleet's manifest: the generated entries once per provider (keys a_siteN, ...), each entry naming its provider
  mkdir -p "$work/fleet" "$work/fleet-alone-a" "$work/fleet-alone-c"
  for d in fleet fleet-alone-a fleet-alone-c; do ln -sfn "$dir/certs" "$work/$d/certs"; done
  awk -v a="${fleet_bases[0]}" -v b="${fleet_bases[1]}" -v c="${fleet_bases[2]}" '
    /^provider:/ { next }
    /^certificates:/ { head = 0; next }
    head { print; next }
    { body[++n] = $0 }
    BEGIN { head = 1 }
    END {
      printf "providers:\n  a: { endpoint: \"%s\", project_id: bench0project }\n", a
      printf "  b: { endpoint: \"%s\", project_id: bench0project }\n", b
      printf "  c: { endpoint: \"%s\", project_id: bench0project }\ncertificates:\n", c
      split("a b c", ps, " ")
      for (j = 1; j <= 3; j++)
        for (i = 1; i <= n; i++) {
          line = body[i]
          if (line ~ /^  [a-z]/) { sub(/^  /, "  " ps[j] "_", line); print line; print "    provider: " ps[j] }
          else print line
        }
    }' "$dir/certform.yaml" >"$work/fleet/certform.yaml"
  sed "s#^provider: { endpoint: \"[^\"]*\"#provider: { endpoint: \"${fleet_bases[0]}\"#" "$dir/certform.yaml" \
    >"$work/fleet-alone-a/certform.yaml"
  sed "s#^provider: { endpoint: \"[^\"]*\"#provider: { endpoint: \"${fleet_bases[2]}\"#" "$dir/certform.yaml" \
    >"$work/fleet-alone-c/certform.yaml"
  reset_all="for b in ${fleet_bases[*]}; do curl -fs -X POST \$b/_simulator/reset >/dev/null; done"
  for d in fleet fleet-alone-a fleet-alone-c; do
    before_each="rm -rf '$work/$d'/certform.state.json* '$work/$d'/.certform.state.json* ; $reset_all"
    measure "$d" -- "${certform[@]}" apply --auto-approve --parallelism "$parallelism" -f "$work/$d/certform.yaml"
    grep -q "Apply complete" "$work/$d.1.log" || { echo "bench/run.sh: $d did not complete:" >&2; tail -n 20 "$work/$d.1.log" >&2; exit 1; }
    case $d in
      fleet) row "apply, fleet of 3 providers side by side, ${latency_ms} ms, parallelism $parallelism each" "3 x $fn" \
        "c throttles 10% of calls (429, Retry-After 1s); $(grep -c '' "$work/$d.1.log") output lines" ;;
      fleet-alone-a) row "apply, one provider alone, ${latency_ms} ms, parallelism $parallelism" "$fn" "a's simulator" ;;
      fleet-alone-c) row "apply, the throttling provider alone, ${latency_ms} ms, parallelism $parallelism" "$fn" \
        "c's simulator: 10% of calls 429, Retry-After 1s" ;;
    esac
  done
  before_each=""
  for p in "${fleet_pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  sim_pid=""
fi

mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
if wants apply100k; then
  # The same rollout at two sizes, in a 256 MiB heap, against the standalone simulator without added latency: memory
  # must stay flat and the bytes written to disk (journal, state, history) must grow linearly.
  if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; sim_pid=""; fi
  for n in $flat_sizes; do
    dir="$work/flat-$n"
    echo "generating flat-$n and its world..." >&2
    generate "$dir" "$n" --world --free-port
    port=$(cat "$dir/port")
    world_bytes=$(wc -c <"$dir/world.json")
    "${certform[@]}" simulator --port "$port" --world "$dir/world.json" --token bench >"$work/simulator-$n.log" 2>&1 &
    sim_pid=$!
    base="http://127.0.0.1:$port"
    for _ in $(seq 600); do
      curl -fs "$base/_simulator/state" -o /dev/null 2>&1 && break
      kill -0 "$sim_pid" 2>/dev/null || { echo "the simulator did not start:" >&2; cat "$work/simulator-$n.log" >&2; exit 1; }
      sleep 0.1
    done
    before_each="rm -f '$dir'/certform.state.json* '$dir'/.certform.state.json* ; rm -rf '$dir'/certform.state.json.history ; curl -fs -X POST '$base/_simulator/reset' >/dev/null"
    export CERTFORM_JAVA_OPTS=-Xmx256m
    measure "flat-$n" -- "$root/bench/write-bytes.sh" "$work/flat-$n.bytes" "$work/flat-$n.tail" \
      "${certform[@]}" apply --auto-approve --parallelism "$parallelism" -f "$dir/certform.yaml"
    unset CERTFORM_JAVA_OPTS
    before_each=""
    created=$(curl -fs "$base/_simulator/state" | tr -d ' \n' | grep -o '"certificates_created":[0-9]*' | tail -n 1 | cut -d: -f2)
    state_bytes=$(wc -c <"$dir/certform.state.json")
    written=$(cat "$work/flat-$n.bytes")
    row "apply, -Xmx256m, no latency, parallelism $parallelism" "$n" \
      "$created created; $(mib "$written") MiB written to disk ($((written / n)) B/binding); state file $(mib "$state_bytes") MiB; world $((world_bytes / 1024)) KiB"
    kill "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
    sim_pid=""
  done
fi

load_after=$(uptime | sed 's/.*load average: //')
echo
echo "certform benchmark ($($smoke && echo smoke || echo full) sizes, best of $reps), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -n 1); load average before: $load_before; after: $load_after"
echo
echo "| measurement | bindings | wall s | CPU s (user+sys) | peak RSS MiB | notes |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
if $keep; then echo; echo "workspaces and logs kept in $work"; fi
