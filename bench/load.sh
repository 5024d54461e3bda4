#!/usr/bin/env bash
# Load on the emulator (docs/emulator.md, "Load").
#
# 1. Builds poolctl and the load driver (bench/load.rs) in release.
# 2. Starts `poolctl emulator --listen 127.0.0.1:0 --state FILE --provision-time 2s`
#    and runs the driver against it: N workers creating, showing, listing and
#    deleting pools for DURATION. Reports the emulator's memory, open files
#    and stray temporary files before and after.
# 3. kill -9: restarts the emulator on the same state file KILLS times, puts
#    load on it, and kill -9s it after a random 50-500 ms (every other time,
#    then as soon as a write is under way). After each kill the
#    state file must be whole JSON of the right format, and the emulator must
#    start on it again and serve exactly the pools it lists.
#
# Usage: bench/load.sh [--concurrency N] [--duration DUR] [--kills N] [--no-build]
# POOLCTL_BIN=path runs another poolctl binary (e.g. a build from before a change).
# Everything it starts is stopped on exit. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."

concurrency=50
duration=60s
kills=20
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --concurrency) concurrency=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --kills) kills=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "load.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

bin=${POOLCTL_BIN:-target/release/poolctl}
driver=target/release/examples/load
work=$(mktemp -d "${TMPDIR:-/tmp}/poolctl-load.XXXXXX")
state=$(mktemp "$work/state.XXXXXX")
emu_pid=
drv_pid=

stop() {
  local pid=$1 sig=${2:-TERM}
  [ -n "$pid" ] || return 0
  kill -"$sig" "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  stop "${rss_pid:-}" KILL
  stop "$drv_pid" KILL
  stop "$emu_pid" KILL
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$build" = 1 ]; then
  cargo build --release --locked --bin poolctl --example load
fi

# Starts the emulator on $state; its export lines go to $1.
start_emulator() {
  local env=$1
  : > "$env"
  "$bin" -q emulator --listen 127.0.0.1:0 --state "$state" --provision-time 2s \
    > "$env" 2>> "$work/emulator.err" &
  emu_pid=$!
  for _ in $(seq 200); do
    grep -q '^export POOLCTL_REGION=' "$env" 2>/dev/null && return 0
    kill -0 "$emu_pid" 2>/dev/null || { wait "$emu_pid" 2>/dev/null || true; emu_pid=; return 1; }
    sleep 0.05
  done
  return 1
}

proc_line() {
  local pid=$1
  printf 'RSS %s kB, %s open files, %s threads' \
    "$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")" \
    "$(ls "/proc/$pid/fd" | wc -l)" \
    "$(awk '/^Threads/ {print $2}' "/proc/$pid/status")"
}

stray_temps() {
  find "$work" -maxdepth 1 -name ".$(basename "$state").tmp-*" | wc -l
}

# The emulator writes the state to this file, then renames it over the state.
writing() {
  [ -e "$work/.$(basename "$state").tmp-$emu_pid" ]
}

echo "== load: $concurrency workers, $duration, state file $state ($(nproc) cores)"
start_emulator "$work/emu.env" || { cat "$work/emulator.err" >&2; exit 1; }
echo "emulator before: $(proc_line "$emu_pid")"
# The emulator's memory every 10 s of load: it must level off, not climb.
( while sleep 10; do awk '/^VmRSS/ {printf "%s ", $2}' "/proc/$emu_pid/status" 2>/dev/null || exit 0; done ) > "$work/rss" &
rss_pid=$!
load_rc=0
"$driver" --env-file "$work/emu.env" --concurrency "$concurrency" --duration "$duration" || load_rc=$?
stop "$rss_pid"
echo "emulator RSS (kB) every 10 s of load: $(cat "$work/rss")"
echo "emulator after:  $(proc_line "$emu_pid")"
echo "state file: $(stat -c %s "$state") bytes; stray temporary files: $(stray_temps)"
kill -TERM "$emu_pid"
emu_rc=0
wait "$emu_pid" || emu_rc=$?
emu_pid=
echo "emulator stopped by SIGTERM: exit $emu_rc"

echo "== kill -9: $kills times, after 50-500 ms of load each (every other one at the next write)"
valid=0 accepted=0 served=0 mid_write=0 min_size= max_size=0
for i in $(seq "$kills"); do
  env="$work/emu-$i.env"
  if ! start_emulator "$env"; then
    echo "kill $i: the emulator did not start on the state file:" >&2
    tail -3 "$work/emulator.err" >&2
    continue
  fi
  "$driver" --env-file "$env" --concurrency "$concurrency" --duration 10s \
    --request-timeout 2s --no-final-count > "$work/driver-$i.out" 2>&1 &
  drv_pid=$!
  delay_ms=$(shuf -i 50-500 -n 1)
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  # Every other kill waits (at most 2 s more) until a write is under way.
  when="after ${delay_ms} ms"
  if [ $((i % 2)) = 0 ]; then
    deadline=$((SECONDS + 2))
    until writing || [ "$SECONDS" -ge "$deadline" ]; do :; done
    when="$when, then as soon as a write was under way"
  fi
  pid_killed=$emu_pid
  stop "$emu_pid" KILL
  emu_pid=
  stop "$drv_pid" TERM
  drv_pid=
  size=$(stat -c %s "$state")
  temps=$(stray_temps)
  if [ -e "$work/.$(basename "$state").tmp-$pid_killed" ]; then
    mid_write=$((mid_write + 1))
    when="$when (killed mid-write)"
  fi
  [ -z "$min_size" ] || [ "$size" -lt "$min_size" ] && min_size=$size
  [ "$size" -gt "$max_size" ] && max_size=$size
  if jq -e '.format == "poolctl-emulator-state/1" and (.pools | type == "array")' "$state" > /dev/null 2>&1; then
    valid=$((valid + 1))
    verdict=valid
  else
    verdict=BROKEN
    cp "$state" "${TMPDIR:-/tmp}/poolctl-load-broken-$i.json"
    echo "kill $i: broken file kept as ${TMPDIR:-/tmp}/poolctl-load-broken-$i.json" >&2
  fi
  # The emulator must start on the file and serve exactly its pools.
  if start_emulator "$work/check-$i.env"; then
    accepted=$((accepted + 1))
    if "$driver" --env-file "$work/check-$i.env" --verify-state "$state" > "$work/verify-$i.out" 2>&1; then
      served=$((served + 1))
    fi
    stop "$emu_pid" TERM
    emu_pid=
    check=$(cat "$work/verify-$i.out")
  else
    check="refused: $(tail -1 "$work/emulator.err")"
  fi
  echo "kill $i $when: $size bytes, $verdict, $temps temporary file(s) beside it; $check"
done
echo "kill -9 result: $kills kills, $valid valid files, $accepted accepted on restart, $served served exactly the pools listed; sizes ${min_size:-0}-$max_size bytes; $mid_write kills landed mid-write (they left a temporary file)"

[ "$load_rc" = 0 ] && [ "$emu_rc" = 0 ] && [ "$valid" = "$kills" ] && [ "$accepted" = "$kills" ] && [ "$served" = "$kills" ]
