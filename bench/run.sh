#!/usr/bin/env bash
# The figures of DESIGN.md §6, each a median over repeated runs, beside its
# budget, and the official Python SDK beside us as the peer. See
# docs/performance.md for what each figure means.
#
#   bench/run.sh              # on a clean clone; installs what it needs (as root)
#
# Knobs (environment): BENCH_RUNS (hyperfine runs of the local commands, 200),
# BENCH_RSS_RUNS (peak-RSS runs, 9), BENCH_WAIT_RUNS (create --wait runs, 5),
# BENCH_MANY_RUNS (20-pool runs, 5), BENCH_PEER_RUNS (hyperfine runs of
# commands that talk to the emulator, 20).
#
# It prints a table and writes it to bench/last-run.md. Every request goes to
# emulators it starts on 127.0.0.1 and stops on exit.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/target/release/poolctl
VENV=$ROOT/bench/.venv
PY=$VENV/bin/python3
MANIFEST=examples/physical-pool.yaml
PROVISION_S=3
LATENCY=300ms

RUNS=${BENCH_RUNS:-200}
RSS_RUNS=${BENCH_RSS_RUNS:-9}
WAIT_RUNS=${BENCH_WAIT_RUNS:-5}
MANY_RUNS=${BENCH_MANY_RUNS:-5}
PEER_RUNS=${BENCH_PEER_RUNS:-20}

SDK_VERSION=3.1.219

say() { printf 'bench: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/poolctl-bench.XXXXXX")
EMU_PID=
cleanup() {
  if [[ -n $EMU_PID ]]; then
    kill "$EMU_PID" 2>/dev/null || true
    wait "$EMU_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Nothing of the caller's cloud set-up may leak in: only the emulators' exports count.
while IFS='=' read -r var _; do
  case $var in POOLCTL_* | HUAWEICLOUD_SDK_*) unset "$var" ;; esac
done < <(env)
export HUAWEICLOUD_SDK_CREDENTIALS_FILE=/dev/null
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
unset HTTP_PROXY HTTPS_PROXY ALL_PROXY http_proxy https_proxy all_proxy

# --- What it needs -----------------------------------------------------------

APT_UPDATED=
apt_install() {
  [[ $(id -u) -eq 0 ]] || die "$* missing; install it (apt-get install $*) or run as root"
  if [[ -z $APT_UPDATED ]]; then
    apt-get update -qq >&2
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

command -v hyperfine >/dev/null || { say "installing hyperfine"; apt_install hyperfine; }
[[ -x /usr/bin/time ]] || { say "installing time"; apt_install time; }
command -v python3 >/dev/null || { say "installing python3"; apt_install python3 python3-venv; }
command -v cargo >/dev/null || die "cargo not found: install a Rust toolchain (1.89 or newer)"

if ! "$PY" -c 'import huaweicloudsdkmodelarts, huaweicloudsdkcore' 2>/dev/null; then
  say "installing the Python SDK $SDK_VERSION in bench/.venv"
  python3 -m venv "$VENV" 2>/dev/null || { apt_install python3-venv; rm -rf "$VENV"; python3 -m venv "$VENV"; }
  "$VENV/bin/pip" install -q --disable-pip-version-check \
    "huaweicloudsdkmodelarts==$SDK_VERSION" "huaweicloudsdkcore==$SDK_VERSION" >&2
fi

say "building (cargo build --release --locked)"
cargo build --release --locked >&2

# --- Helpers -----------------------------------------------------------------

# median FILE: the median of the numbers in FILE, one a line.
median() { python3 -c 'import statistics,sys; print(statistics.median(float(l) for l in open(sys.argv[1]) if l.strip()))' "$1"; }

# hyperfine_median OUT ARGS...: runs hyperfine, prints the median in seconds.
hyperfine_median() {
  local out=$1
  shift
  hyperfine --style none --export-json "$WORK/$out.json" "$@" >&2
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$WORK/$out.json"
}

# peak_rss OUT N CMD...: the median peak RSS (KiB) of N runs of CMD; `{i}`
# in CMD becomes the run number (for unique pool names).
peak_rss() {
  local out=$1 n=$2
  shift 2
  : >"$WORK/$out.rss"
  local i args
  for ((i = 1; i <= n; i++)); do
    args=("${@//\{i\}/$i}")
    /usr/bin/time -f %M -o "$WORK/$out.one" "${args[@]}" >/dev/null 2>"$WORK/$out.err" ||
      { cat "$WORK/$out.err" >&2; die "failed: ${args[*]}"; }
    tail -n 1 "$WORK/$out.one" >>"$WORK/$out.rss"
  done
  median "$WORK/$out.rss"
}

now_ns() { date +%s%N; }

# start_emulator ARGS...: a fresh emulator on a free port; its exports are
# evaluated here. The one before is stopped.
start_emulator() {
  stop_emulator
  local env=$WORK/emulator.env
  : >"$env"
  "$BIN" emulator --listen 127.0.0.1:0 "$@" >"$env" 2>"$WORK/emulator.err" &
  EMU_PID=$!
  local _
  for _ in $(seq 100); do
    grep -q '^export POOLCTL_REGION=' "$env" && break
    kill -0 "$EMU_PID" 2>/dev/null || { cat "$WORK/emulator.err" >&2; die "the emulator did not start"; }
    sleep 0.1
  done
  grep -q '^export POOLCTL_REGION=' "$env" || die "the emulator printed no exports in 10 s"
  # shellcheck disable=SC1090
  . "$env"
}
stop_emulator() {
  if [[ -n $EMU_PID ]]; then
    kill "$EMU_PID" 2>/dev/null || true
    wait "$EMU_PID" 2>/dev/null || true
    EMU_PID=
  fi
}

# manifest NAME...: the example manifest, one document per NAME, each on a
# network of its own (preflight reads each network once).
manifest() {
  local name first=1
  for name in "$@"; do
    [[ $first ]] || echo '---'
    first=
    sed -e "s/os.modelarts\/name: pool-ae01/os.modelarts\/name: $name/" \
      -e "s/name: network-21e1\$/name: network-$name/" "$MANIFEST"
  done
}

RESULTS=$WORK/results
: >"$RESULTS"
put() { printf '%s=%s\n' "$1" "$2" >>"$RESULTS"; }

# Unique pool names across runs and emulators.
TAG=$(printf '%x' "$(( $(date +%s) % 1000000 ))")

# --- 1. Local commands: create --dry-run, validate ------------------------------

say "1. create --dry-run / validate: $RUNS runs each, peak RSS over $RSS_RUNS"
"$BIN" create -f "$MANIFEST" --dry-run >/dev/null
put dry_wall "$(hyperfine_median dry -N --warmup 20 --runs "$RUNS" "$BIN create -f $MANIFEST --dry-run")"
put dry_rss "$(peak_rss dry "$RSS_RUNS" "$BIN" create -f "$MANIFEST" --dry-run)"
put validate_wall "$(hyperfine_median validate -N --warmup 20 --runs "$RUNS" "$BIN validate -f $MANIFEST")"
put validate_rss "$(peak_rss validate "$RSS_RUNS" "$BIN" validate -f "$MANIFEST")"

# --- 2. Binary size ------------------------------------------------------------

put binary_bytes "$(stat -c %s "$BIN")"
if command -v readelf >/dev/null && readelf -S "$BIN" | grep -q '\.symtab'; then
  put binary_stripped no
else
  put binary_stripped yes
fi

# --- 3. create --wait against the emulator ---------------------------------------

say "3. create --wait, provision time ${PROVISION_S}s: $WAIT_RUNS runs"
start_emulator --provision-time "${PROVISION_S}s"
: >"$WORK/wait.after"
: >"$WORK/wait.shows"
for ((i = 1; i <= WAIT_RUNS; i++)); do
  t0=$(now_ns)
  "$BIN" -v create -f "$MANIFEST" --name "bench-$TAG-w$i" --wait >/dev/null 2>"$WORK/wait.err" ||
    { cat "$WORK/wait.err" >&2; die "create --wait failed"; }
  t1=$(now_ns)
  python3 -c "print(($t1 - $t0) / 1e9 - $PROVISION_S)" >>"$WORK/wait.after"
  grep -cE '^> GET [^ ]*/pools/[^/? ]+$' "$WORK/wait.err" >>"$WORK/wait.shows" || true
done
put wait_after "$(median "$WORK/wait.after")"
put wait_shows "$(median "$WORK/wait.shows")"

# --- 4. Polling economy over a simulated 20-minute creation ------------------------

say "4. simulated 20-minute creation (cargo test --release --lib)"
cargo test --release --locked --lib wait::tests::simulated_twenty_minute_creation -- --nocapture \
  >"$WORK/sim.out" 2>"$WORK/sim.err" || { cat "$WORK/sim.out" "$WORK/sim.err" >&2; die "the simulation test failed"; }
sim=$(sed -n 's/^simulated 20-minute creation: \([0-9][0-9]*\) show calls.*/\1/p' "$WORK/sim.out")
[[ -n $sim ]] || { cat "$WORK/sim.out" >&2; die "no 'simulated 20-minute creation' line"; }
put sim_shows "$sim"

# --- 5. 20 pools vs 1 at 300 ms of API latency --------------------------------------

say "5. 20 pools vs 1 with latency=$LATENCY: $MANY_RUNS runs each"
start_emulator --provision-time "${PROVISION_S}s" --faults "latency=$LATENCY"
: >"$WORK/many.s"
: >"$WORK/one.s"
for ((r = 1; r <= MANY_RUNS; r++)); do
  names=()
  for ((i = 1; i <= 20; i++)); do names+=("bench-$TAG-m$r-$i"); done
  manifest "${names[@]}" >"$WORK/many.yaml"
  manifest "bench-$TAG-o$r" >"$WORK/one.yaml"
  for which in one many; do
    t0=$(now_ns)
    "$BIN" -v create -f "$WORK/$which.yaml" >/dev/null 2>"$WORK/$which.err" ||
      { cat "$WORK/$which.err" >&2; die "create -f $which.yaml failed"; }
    t1=$(now_ns)
    python3 -c "print(($t1 - $t0) / 1e9)" >>"$WORK/$which.s"
  done
done
put one_wall "$(median "$WORK/one.s")"
put many_wall "$(median "$WORK/many.s")"
put many_requests "$(grep -cE '^> (GET|POST) ' "$WORK/many.err" || true)"

# --- 5c. apply of an unchanged 20-pool manifest ----------------------------------

say "5c. apply of an unchanged 20-pool manifest: requests sent, $WAIT_RUNS runs"
start_emulator --provision-time 1s
names=()
for ((i = 1; i <= 20; i++)); do names+=("bench-$TAG-a$i"); done
manifest "${names[@]}" >"$WORK/apply.yaml"
"$BIN" apply -f "$WORK/apply.yaml" --wait >/dev/null 2>"$WORK/apply.err" ||
  { cat "$WORK/apply.err" >&2; die "the first apply failed"; }
: >"$WORK/apply.s"
for ((i = 1; i <= WAIT_RUNS; i++)); do
  t0=$(now_ns)
  "$BIN" -v apply -f "$WORK/apply.yaml" >/dev/null 2>"$WORK/apply.err" ||
    { cat "$WORK/apply.err" >&2; die "an unchanged apply failed"; }
  t1=$(now_ns)
  python3 -c "print(($t1 - $t0) / 1e9)" >>"$WORK/apply.s"
done
put apply_unchanged_wall "$(median "$WORK/apply.s")"
put apply_unchanged_reads "$(grep -cE '^> GET ' "$WORK/apply.err" || true)"
put apply_unchanged_writes "$(grep -cE '^> (POST|PATCH|PUT|DELETE) ' "$WORK/apply.err" || true)"

# --- 5b. Time to the truth: a create that cannot succeed, 20-minute provisioning ----

say "5b. time to exit 3 for a create that cannot succeed (20-minute provisioning): $WAIT_RUNS runs each"
start_emulator --provision-time 20m
for case in soldout mistyped nonetwork; do
  : >"$WORK/truth.$case"
  for ((i = 1; i <= WAIT_RUNS; i++)); do
    flags=(--flavor modelarts.vm.cpu.8ud --network network-21e1)
    case $case in
      soldout) flags=(--flavor modelarts.vm.gpu.v100 --network network-21e1) ;;
      mistyped) flags=(--flavor modelarts.vm.cpu.8u --network network-21e1) ;;
      nonetwork) flags=(--flavor modelarts.vm.cpu.8ud --network network-missing-01) ;;
    esac
    t0=$(now_ns)
    set +e
    "$BIN" -v create -f "$MANIFEST" --name "bench-$TAG-t$case$i" "${flags[@]}" --wait >/dev/null 2>"$WORK/truth.err"
    code=$?
    set -e
    t1=$(now_ns)
    [[ $code == 3 ]] || { cat "$WORK/truth.err" >&2; die "a $case create ended $code, not 3"; }
    grep -qE '^> POST ' "$WORK/truth.err" && die "a $case create sent a POST"
    python3 -c "print(($t1 - $t0) / 1e9)" >>"$WORK/truth.$case"
  done
  put "truth_$case" "$(median "$WORK/truth.$case")"
done

# --- 6. The peer: the official Python SDK, same request, same emulator -----------------

say "6. Python SDK $SDK_VERSION vs poolctl: create against the emulator, $PEER_RUNS runs each"
start_emulator --provision-time "${PROVISION_S}s"
if ! SDK_CREATE_VERBOSE=1 "$PY" bench/sdk_create.py --name "bench-$TAG-sdk0" >"$WORK/sdk0.out" 2>"$WORK/sdk0.err"; then
  cat "$WORK/sdk0.err" >&2
  die "the Python SDK's CreatePool was refused by the emulator (see above)"
fi
"$PY" bench/sdk_create.py --no-send || die "the Python SDK could not build and sign the request"

# Unique names: a counter bumped before each timed run (outside the timing).
echo 0 >"$WORK/counter"
bump="n=\$(cat $WORK/counter); echo \$((n + 1)) > $WORK/counter"
put our_create_wall "$(hyperfine_median ours --warmup 3 --runs "$PEER_RUNS" --prepare "$bump" \
  "read n < $WORK/counter; exec $BIN create -f $MANIFEST --name bench-$TAG-p\$n")"
put sdk_create_wall "$(hyperfine_median sdk --warmup 3 --runs "$PEER_RUNS" --prepare "$bump" \
  "read n < $WORK/counter; exec $PY bench/sdk_create.py --name bench-$TAG-s\$n")"
put our_create_rss "$(peak_rss ours "$RSS_RUNS" "$BIN" create -f "$MANIFEST" --name "bench-$TAG-r{i}")"
put sdk_create_rss "$(peak_rss sdk "$RSS_RUNS" "$PY" bench/sdk_create.py --name "bench-$TAG-q{i}")"
# Import + build + sign, nothing sent: beside create --dry-run.
put sdk_nosend_wall "$(hyperfine_median sdk-nosend -N --warmup 3 --runs "$PEER_RUNS" "$PY bench/sdk_create.py --no-send")"
put sdk_nosend_rss "$(peak_rss sdk-nosend "$RSS_RUNS" "$PY" bench/sdk_create.py --no-send)"
put python_bare_wall "$(hyperfine_median python -N --warmup 3 --runs "$PEER_RUNS" "$PY -c pass")"
stop_emulator

# --- The table -----------------------------------------------------------------

say "done"
python3 - "$RESULTS" "$ROOT/bench/last-run.md" <<'EOF'
import datetime, os, platform, subprocess, sys

r = {}
for line in open(sys.argv[1]):
    k, _, v = line.strip().partition("=")
    r[k] = v
f = lambda k: float(r[k])

MIB = 1024 * 1024
def ms(s): return "%.2f ms" % (s * 1e3) if s < 1 else "%.3f s" % s
def mib_kib(k): return "%.1f MiB" % (k / 1024)
def ratio(a, b): return "%.1f×" % (a / b) if b else "—"
def verdict(ok): return "PASS" if ok else "MISS"

rows = []
def row(figure, ours, peer, rat, budget, result):
    rows.append((figure, ours, peer, rat, budget, result))

row("`create --dry-run`, median wall", ms(f("dry_wall")), ms(f("sdk_nosend_wall")) + " (SDK import+build+sign)",
    ratio(f("sdk_nosend_wall"), f("dry_wall")), "≤ 3 ms", verdict(f("dry_wall") <= 0.003))
row("`create --dry-run`, peak RSS", mib_kib(f("dry_rss")), mib_kib(f("sdk_nosend_rss")) + " (same)",
    ratio(f("sdk_nosend_rss"), f("dry_rss")), "≤ 8 MiB", verdict(f("dry_rss") <= 8 * 1024))
row("`validate`, median wall", ms(f("validate_wall")), "—", "—", "≤ 3 ms", verdict(f("validate_wall") <= 0.003))
row("`validate`, peak RSS", mib_kib(f("validate_rss")), "—", "—", "≤ 8 MiB", verdict(f("validate_rss") <= 8 * 1024))
size = int(r["binary_bytes"])
row("release binary" + (", stripped" if r["binary_stripped"] == "yes" else " (NOT stripped)"),
    "%.2f MiB" % (size / MIB), "—", "—", "≤ 8 MiB", verdict(size <= 8 * MIB and r["binary_stripped"] == "yes"))
row("`create --wait` (3 s provision), exit after Running", ms(f("wait_after")), "—", "—", "≤ 1 s",
    verdict(f("wait_after") <= 1.0))
row("`create --wait` (3 s provision), show calls", "%g" % f("wait_shows"), "—", "—", "—", "—")
sim = int(r["sim_shows"])
row("show calls, simulated 20-min creation", "%d (%.2f per 10 s)" % (sim, sim / 120), "—", "—", "≤ 1 per 10 s",
    verdict(sim / 120 <= 1.0))
row("20 pools vs 1, 300 ms latency, wall", "%s vs %s" % (ms(f("many_wall")), ms(f("one_wall"))), "—",
    ratio(f("many_wall"), f("one_wall")), "≤ 2×", verdict(f("many_wall") <= 2 * f("one_wall")))
row("`apply` of an unchanged 20-pool manifest: requests", "%d reads, %d writes (%s)" % (
        int(r["apply_unchanged_reads"]), int(r["apply_unchanged_writes"]), ms(f("apply_unchanged_wall"))),
    "—", "—", "1 read per pool, no write",
    verdict(int(r["apply_unchanged_reads"]) == 20 and int(r["apply_unchanged_writes"]) == 0))
for case, what in (("soldout", "sold-out flavor"), ("mistyped", "mistyped flavor"), ("nonetwork", "missing network")):
    row("time to exit 3, %s (20-min provision), no POST" % what, ms(f("truth_" + case)), "—", "—", "≤ 1 s",
        verdict(f("truth_" + case) <= 1.0))
row("`create` sent to the emulator, median wall", ms(f("our_create_wall")), ms(f("sdk_create_wall")),
    ratio(f("sdk_create_wall"), f("our_create_wall")), "— (peer)", "—")
row("`create` sent to the emulator, peak RSS", mib_kib(f("our_create_rss")), mib_kib(f("sdk_create_rss")),
    ratio(f("sdk_create_rss"), f("our_create_rss")), "— (peer)", "—")

head = ("figure", "ours", "peer (Python SDK)", "ratio", "budget", "result")
out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
out += ["| " + " | ".join(x) + " |" for x in rows]

def sh(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"

notes = [
    "",
    "Ratio: peer ÷ ours for the SDK rows, 20 pools ÷ 1 pool for the latency row.",
    "Peer: huaweicloudsdkmodelarts 3.1.219 (`bench/sdk_create.py`); a bare `python3 -c pass` takes %s."
        % ms(f("python_bare_wall")),
    "20-pool run: %s requests for 20 pools (last run, from `-v`)." % r["many_requests"],
    "",
    "Taken %s on %s (%s cores, kernel %s, load %s), commit %s."
        % (datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"), platform.machine(),
           os.cpu_count(), platform.release(), ", ".join("%.2f" % x for x in os.getloadavg()),
           sh("git", "rev-parse", "--short", "HEAD") + ("+dirty" if sh("git", "status", "--porcelain", "--untracked-files=no") else "")),
]
text = "\n".join(out + notes) + "\n"
print(text, end="")
with open(sys.argv[2], "w") as fh:
    fh.write("# Last run of bench/run.sh\n\n" + text)
EOF
