#!/usr/bin/env bash
# The two certificate models at 10,000 domains, whole processes against the standalone simulator:
# first apply, a renewal, and the plan after it, with the write calls each sent (from /_simulator/state).
# Usage: bench/models.sh [domains] [latency_ms]      (needs openssl and python3; builds nothing: run
#        `mvn -B -q -DskipTests -Ddist.skip package` first)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
latency=${2:-20}
certform="$PWD/bin/certform"
work=$(mktemp -d)
trap 'kill $sim 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work"
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 800 -subj "/CN=Bench CA" 2>/dev/null
for i in 1 2; do
  openssl req -newkey rsa:2048 -nodes -keyout leaf$i.key -out leaf$i.csr -subj "/CN=*.bench.example.com" 2>/dev/null
  printf "subjectAltName=DNS:*.bench.example.com\n" >ext
  openssl x509 -req -in leaf$i.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out leaf$i.crt -days 400 \
    -extfile ext 2>/dev/null
  cat leaf$i.crt ca.crt >chain$i.crt
done
python3 - "$n" <<'PY'
import json, sys
n = int(sys.argv[1]); per = 50
groups = [{"id": "grp%05d" % g, "domains": [{"id": "d%06d" % (g * per + i),
          "url_domain": "api%06d.bench.example.com" % (g * per + i)} for i in range(per)]} for g in range(n // per)]
json.dump({"instances": [{"id": "inst1", "groups": groups}]}, open("world.json", "w"))
PY
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
for mode in per-domain shared; do
  cat >$mode.yaml <<YAML
version: 1
provider: { endpoint: "http://127.0.0.1:$port", project_id: proj1, attach_chunk: 100 }
defaults: { instance_id: inst1 }
certificates:
  wild:
    mode: $mode
    name: bench_wild
    cert_content: \${file:chain.crt}
    private_key: \${file:leaf.key}
    domains:
      - match: "*.bench.example.com"
YAML
done
writes() {
  curl -fs "http://127.0.0.1:$port/_simulator/state" | python3 -c 'import json,sys
c = json.load(sys.stdin)["counters"]["calls"]
print(sum(v for k, v in c.items() if k in ("domain_certificate_add", "domain_certificate_delete", "certificate_create",
      "certificate_update", "certificate_delete", "certificate_attach", "certificate_detach")))'
}
timed() { local s e; s=$(date +%s.%N); CERTFORM_AUTH_TOKEN=bench "$certform" "$@" >/dev/null 2>&1 || true
  e=$(date +%s.%N); awk -v s="$s" -v e="$e" 'BEGIN { printf "%.1f", e - s }'; }
printf "%-11s %-22s %8s %12s\n" model step "wall s" "write calls"
for mode in per-domain shared; do
  rm -rf certform.state.json* .certform.state.json*
  "$certform" simulator --port "$port" --world world.json --token bench --latency "${latency}ms" >sim.log 2>&1 &
  sim=$!
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/_simulator/state" >/dev/null 2>&1 && break; sleep 0.2; done
  cp chain1.crt chain.crt; cp leaf1.key leaf.key
  before=$(writes); t=$(timed apply -f $mode.yaml --auto-approve --parallelism 50)
  printf "%-11s %-22s %8s %12s\n" "$mode" "first apply ($n)" "$t" "$(( $(writes) - before ))"
  cp chain2.crt chain.crt; cp leaf2.key leaf.key
  before=$(writes); t=$(timed apply -f $mode.yaml --auto-approve --parallelism 50)
  printf "%-11s %-22s %8s %12s\n" "$mode" "renewal" "$t" "$(( $(writes) - before ))"
  t=$(timed plan -f $mode.yaml)
  printf "%-11s %-22s %8s %12s\n" "$mode" "plan after" "$t" "0"
  kill $sim; wait $sim 2>/dev/null || true
done
