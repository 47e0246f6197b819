#!/usr/bin/env bash
# Ravel against etcd, side by side on this machine, over loopback.
#
#   bench/run.sh [--clusters N] [--admins N] [--smoke]
#                [--parts load,idle,failover,admin-failover,relocation,scale]
#                [--duration S] [--keys N] [--warmup S] [--idle S] [--rounds N] [--failovers N]
#                [--ops put,get,batch] [--connections 16,64]
#                [--reloc-keys N] [--scale-keys LIST] [--profile] [--only ravel|etcd] [--installed]
#
# Starts a ravel_cluster_admin and N clusters of 3 replicas (fresh temp dirs, free 127.0.0.1 ports,
# durable writes as shipped), pre-fills the keys (100-byte string values), then runs wrk with
# bench/kv.lua for put, get and batch (100 puts per request) at 16 and 64 connections (random keys
# among the pre-filled ones) and
# records requests/s, p50 and p99 of each run. Then the same against a 3-member etcd cluster (Debian's
# etcd-server, default durability, the client talking JSON to the leader's v3 gateway). Prints a
# table with the Ravel/etcd ratio of every figure. Then, on the same processes, the idle CPU of the
# whole system (every process's ticks from /proc/PID/stat over --idle seconds without load) and
# failovers: under a steady stream of single puts (bench/writer.py, each retried until acknowledged),
# kill -9 of a cluster's leader (Ravel: from the admin's GET /clusters; etcd: its leader member), the
# longest gap between two acknowledged puts, the killed process restarted with its command line and
# data dir, --failovers times; the median gap, and every acknowledged key read back. The peak RSS
# (VmHWM) of every process, sampled before each kill and at the end, completes the table.
# The load rounds alternate the systems (Ravel alone, then etcd alone, --rounds times, each started
# afresh); for idle and failover both systems run side by side and their rounds alternate (Ravel,
# etcd, Ravel, etcd, ...), so a change in the machine's speed hits both alike: the table gives the
# median of the per-round Ravel/etcd ratios next to each system's median.
#
#   --clusters N   Ravel clusters of 3 replicas (default 1; 2 is the seed's 2 x 3 layout)
#   --admins N     Ravel admins (default 1); 3 runs an admin group (--raft/--peers), every replica
#                  gets every admin's gRPC address and the writers spread over every admin's HTTP
#   --smoke        a few seconds per figure and 1,000 keys: shows the script works, measures nothing
#   --duration S   seconds per wrk run (default 20; 3 with --smoke)
#   --keys N       keys pre-filled and used by the runs (default 10000; 1000 with --smoke)
#   --warmup S     seconds of unrecorded load per operation (put, get, batch at 64 connections) before
#                  the figures (default 30; 1 with --smoke): the JIT of seven fresh JVMs on two cores
#                  needs about a minute of load before the figures settle (docs/performance.md)
#   --ops L        comma-separated operations of the load part, among put, get and batch (default all
#                  three); each is warmed up and measured, the others are left out
#   --connections L comma-separated wrk connection counts of the load part (default 16,64)
#   --profile      JFR recording of the admin and each cluster leader during the runs of the first
#                  operation of --ops (put by default), with a summary of the hottest frames and
#                  threads (bench/jfr-top.sh)
#   --parts P      comma-separated parts to run: load, idle, failover, admin-failover, relocation,
#                  scale (default the first three); admin-failover (needs --admins 3 or more) kills the admin
#                  leader under the writer, against etcd's leader kill in the alternate rounds;
#                  relocation (Ravel only, a fresh system of its own, bench/relocation.sh) times the
#                  first cluster joining an empty system, a second joining while it holds no key, and
#                  a third joining once it holds --reloc-keys keys of 1,000-byte values;
#                  scale (Ravel only, bench/scale.sh) starts, for each count of --scale-keys, a fresh
#                  system (1 admin, 1 cluster of 3 replicas snapshotting every 10 s) and measures the
#                  fill rate, disk use, a follower's catch-up after missing a tenth more keys (by a
#                  snapshot from its leader), the restart of the 3 replicas and a second cluster's
#                  relocation
#   --reloc-keys N keys written before the third cluster joins (default 100000; 5000 with --smoke)
#   --scale-keys L comma-separated key counts of the scale part, each at least 100 (default
#                  100000,300000,1000000; 2000,5000 with --smoke)
#   --idle S       seconds of each idle CPU measurement (default 30; 3 with --smoke)
#   --rounds N     rounds per system, alternating (default 1): for the load, each round starts one
#                  whole system afresh, fills, warms up, measures and stops it, then the other; for
#                  idle, one idle measurement per system and round
#   --settle S     seconds without load before each idle measurement (default 5)
#   --failovers N  leader kills per system and failover part (default 3; 1 with --smoke)
#   --only S       run only one system (ravel or etcd); no ratios then
#   --installed    use ravel_node / ravel_cluster_admin from PATH even when the repo's jars are built
#
# Ravel comes from the repo's built jars (ravel-node/target/ravel-node.jar, ravel-cluster-admin/target/
# ravel-cluster-admin.jar) when they exist, otherwise from ravel_node / ravel_cluster_admin on PATH.
# Every daemon gets a 96 MiB heap and 64 MiB of direct memory (RAVEL_JAVA_OPTS adds JVM options). wrk, etcd-server, jq, python3 are
# installed with apt-get when missing. Everything this script starts is stopped by PID when it ends,
# fails or is interrupted. Raw output (logs, wrk output, profiles) stays in bench/results/<time>/.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd -P)

CLUSTERS=1
ADMINS=1
ROUNDS=1
SETTLE=5
SMOKE=0
DURATION=""
KEYS=""
WARMUP=""
PROFILE=0
ONLY=both
INSTALLED=0
PARTS=load,idle,failover
IDLE_SECS=""
FAILOVERS=""
CONNECTIONS=(16 64)
OPS=(put get batch)

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }
die() { echo "bench: $*" >&2; exit 1; }
say() { echo "[$(date -u +%H:%M:%S)] $*"; }

positive_int() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || die "$1 needs a positive whole number, not '$2'"; }

while [ $# -gt 0 ]; do
    case $1 in
        --clusters) [ $# -ge 2 ] || die "--clusters needs a number"; positive_int --clusters "$2"; CLUSTERS=$2; shift 2 ;;
        --clusters=*) positive_int --clusters "${1#*=}"; CLUSTERS=${1#*=}; shift ;;
        --admins) [ $# -ge 2 ] || die "--admins needs a number"; positive_int --admins "$2"; ADMINS=$2; shift 2 ;;
        --admins=*) positive_int --admins "${1#*=}"; ADMINS=${1#*=}; shift ;;
        --rounds) [ $# -ge 2 ] || die "--rounds needs a number"; positive_int --rounds "$2"; ROUNDS=$2; shift 2 ;;
        --rounds=*) positive_int --rounds "${1#*=}"; ROUNDS=${1#*=}; shift ;;
        --settle) [ $# -ge 2 ] || die "--settle needs seconds"; [[ "$2" =~ ^[0-9]+$ ]] || die "--settle needs whole seconds, not '$2'"; SETTLE=$2; shift 2 ;;
        --duration) [ $# -ge 2 ] || die "--duration needs seconds"; positive_int --duration "$2"; DURATION=$2; shift 2 ;;
        --duration=*) positive_int --duration "${1#*=}"; DURATION=${1#*=}; shift ;;
        --warmup) [ $# -ge 2 ] || die "--warmup needs seconds"; [[ "$2" =~ ^[0-9]+$ ]] || die "--warmup needs whole seconds, not '$2'"; WARMUP=$2; shift 2 ;;
        --keys) [ $# -ge 2 ] || die "--keys needs a number"; positive_int --keys "$2"; KEYS=$2; shift 2 ;;
        --keys=*) positive_int --keys "${1#*=}"; KEYS=${1#*=}; shift ;;
        --reloc-keys) [ $# -ge 2 ] || die "--reloc-keys needs a number"; positive_int --reloc-keys "$2"; RELOC_KEYS=$2; shift 2 ;;
        --reloc-keys=*) positive_int --reloc-keys "${1#*=}"; RELOC_KEYS=${1#*=}; shift ;;
        --scale-keys) [ $# -ge 2 ] || die "--scale-keys needs a list"; SCALE_KEYS=$2; shift 2 ;;
        --scale-keys=*) SCALE_KEYS=${1#*=}; shift ;;
        --ops) [ $# -ge 2 ] || die "--ops needs a list"; OPS_ARG=$2; shift 2 ;;
        --ops=*) OPS_ARG=${1#*=}; shift ;;
        --connections) [ $# -ge 2 ] || die "--connections needs a list"; CONN_ARG=$2; shift 2 ;;
        --connections=*) CONN_ARG=${1#*=}; shift ;;
        --parts) [ $# -ge 2 ] || die "--parts needs a list"; PARTS=$2; shift 2 ;;
        --parts=*) PARTS=${1#*=}; shift ;;
        --idle) [ $# -ge 2 ] || die "--idle needs seconds"; positive_int --idle "$2"; IDLE_SECS=$2; shift 2 ;;
        --idle=*) positive_int --idle "${1#*=}"; IDLE_SECS=${1#*=}; shift ;;
        --failovers) [ $# -ge 2 ] || die "--failovers needs a number"; positive_int --failovers "$2"; FAILOVERS=$2; shift 2 ;;
        --failovers=*) positive_int --failovers "${1#*=}"; FAILOVERS=${1#*=}; shift ;;
        --only) [ $# -ge 2 ] || die "--only needs ravel or etcd"; ONLY=$2; shift 2 ;;
        --only=*) ONLY=${1#*=}; shift ;;
        --smoke) SMOKE=1; shift ;;
        --profile) PROFILE=1; shift ;;
        --installed) INSTALLED=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
case $ONLY in both | ravel | etcd) ;; *) die "--only takes ravel or etcd, not '$ONLY'" ;; esac
if [ -n "${OPS_ARG:-}" ]; then
    IFS=, read -r -a OPS <<<"$OPS_ARG"
    [ ${#OPS[@]} -gt 0 ] || die "--ops needs at least one of put, get, batch"
    for _o in "${OPS[@]}"; do
        case $_o in put | get | batch) ;; *) die "--ops takes put, get and batch, not '$_o'" ;; esac
    done
fi
if [ -n "${CONN_ARG:-}" ]; then
    [[ "$CONN_ARG" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || die "--connections takes comma-separated whole numbers (e.g. 16,64), not '$CONN_ARG'"
    IFS=, read -r -a CONNECTIONS <<<"$CONN_ARG"
fi
declare -A PART=()
IFS=, read -r -a _parts <<<"$PARTS"
for _p in "${_parts[@]}"; do
    case $_p in load | idle | failover | admin-failover | relocation | scale) PART[$_p]=1 ;; *) die "--parts takes load, idle, failover, admin-failover, relocation, scale, not '$_p'" ;; esac
done
[ ${#PART[@]} -gt 0 ] || die "--parts needs at least one of load, idle, failover, admin-failover, relocation, scale"
has() { [ -n "${PART[$1]:-}" ]; }
if has admin-failover && [ "$ADMINS" -lt 3 ]; then die "--parts admin-failover needs --admins 3 (or more): a group that survives the kill of its leader"; fi
if has admin-failover && [ "$ONLY" = etcd ]; then die "--parts admin-failover measures Ravel's admins: not with --only etcd"; fi
if has relocation && [ "$ONLY" = etcd ]; then die "--parts relocation measures Ravel only: not with --only etcd"; fi
if has scale && [ "$ONLY" = etcd ]; then die "--parts scale measures Ravel only: not with --only etcd"; fi
# the parts that run on the side-by-side systems (relocation and scale bring their own)
shared_parts() { has load || has idle || has failover || has admin-failover; }
if [ $SMOKE = 1 ]; then
    DURATION=${DURATION:-3}
    KEYS=${KEYS:-1000}
    WARMUP=${WARMUP:-1}
    IDLE_SECS=${IDLE_SECS:-3}
    FAILOVERS=${FAILOVERS:-1}
    RELOC_KEYS=${RELOC_KEYS:-5000}
    SCALE_KEYS=${SCALE_KEYS:-2000,5000}
else
    DURATION=${DURATION:-20}
    KEYS=${KEYS:-10000}
    WARMUP=${WARMUP:-30}
    IDLE_SECS=${IDLE_SECS:-30}
    FAILOVERS=${FAILOVERS:-3}
    RELOC_KEYS=${RELOC_KEYS:-100000}
    SCALE_KEYS=${SCALE_KEYS:-100000,300000,1000000}
fi
RELOC_VALUE_BYTES=1000
[[ "$SCALE_KEYS" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || die "--scale-keys takes comma-separated whole numbers (e.g. 100000,300000), not '$SCALE_KEYS'"
IFS=, read -r -a SCALE_NS <<<"$SCALE_KEYS"
for _n in "${SCALE_NS[@]}"; do
    [ "$_n" -ge 100 ] && [ "$_n" -le 9000000 ] || die "--scale-keys takes key counts from 100 to 9000000 (keys are rk0000000..), not '$_n'"
done
FILL_CONNECTIONS=16
[ "$KEYS" -ge $FILL_CONNECTIONS ] || die "--keys must be at least $FILL_CONNECTIONS"

# ---------------------------------------------------------------------------------------------
# tools
# ---------------------------------------------------------------------------------------------
need_apt=()
command -v wrk >/dev/null 2>&1 || need_apt+=(wrk)
command -v jq >/dev/null 2>&1 || need_apt+=(jq)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
if [ "$ONLY" != ravel ] && shared_parts && ! command -v etcd >/dev/null 2>&1; then need_apt+=(etcd-server); fi
if [ ${#need_apt[@]} -gt 0 ]; then
    command -v apt-get >/dev/null 2>&1 || die "missing ${need_apt[*]} and no apt-get to install them"
    say "installing ${need_apt[*]} with apt-get (missing)"
    if [ "$(id -u)" = 0 ]; then SUDO=(); else SUDO=(sudo); fi
    "${SUDO[@]}" apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -q "${need_apt[@]}" >/dev/null
fi
CLK_TCK=$(getconf CLK_TCK)

RESULTS="$BENCH_DIR/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$RESULTS"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ravel-bench.XXXXXX")

# ---------------------------------------------------------------------------------------------
# processes: everything started is recorded and stopped by PID on exit, error or Ctrl-C
# ---------------------------------------------------------------------------------------------
STARTED=()     # PIDs, in start order
declare -A NAME_OF=()
WRK_PID=""
RUN_TAG=""     # log file suffix of the processes of one load round

stop_pid() { # pid: SIGTERM, up to 10 s, then SIGKILL
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

stop_all() { # stops in reverse start order
    local i
    for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do
        stop_pid "${STARTED[$i]}"
    done
    STARTED=()
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ -n "$WRK_PID" ]; then stop_pid "$WRK_PID"; fi
    stop_all
    rm -rf "$WORK"
    exit $rc
}
trap cleanup EXIT
trap 'echo "bench: interrupted, stopping everything it started" >&2; exit 130' INT TERM

start_bg() { # name logfile command...: starts a process in the background in its own directory
    local name=$1 log=$2
    shift 2
    # its own working directory: SOFAJRaft writes its signal dumps (node_describe.log.*) there
    mkdir -p "$WORK/cwd/$name"
    (cd "$WORK/cwd/$name" && exec "$@") >"$log" 2>&1 &
    local pid=$!
    STARTED+=("$pid")
    NAME_OF[$pid]=$name
    LAST_PID=$pid
}

wait_for_line() { # pid logfile regex timeout_s: waits for a line matching regex, prints it
    local pid=$1 log=$2 regex=$3 timeout=$4 i line
    for ((i = 0; i < timeout * 10; i++)); do
        line=$(grep -m1 -E "$regex" "$log" 2>/dev/null || true)
        if [ -n "$line" ]; then echo "$line"; return 0; fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "bench: ${NAME_OF[$pid]:-process $pid} exited before it was ready; last lines of $log:" >&2
            tail -20 "$log" >&2
            return 1
        fi
        sleep 0.1
    done
    echo "bench: ${NAME_OF[$pid]:-process $pid} not ready after ${timeout}s; last lines of $log:" >&2
    tail -20 "$log" >&2
    return 1
}

free_ports() { # count: prints that many distinct free 127.0.0.1 TCP ports
    local n=$1
    if command -v python3 >/dev/null 2>&1; then
        python3 - "$n" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
EOF
    else
        local ports=() p
        while [ ${#ports[@]} -lt "$n" ]; do
            p=$((20000 + RANDOM % 30000))
            if ! ss -ltnH "sport = :$p" | grep -q . && [[ " ${ports[*]} " != *" $p "* ]]; then ports+=("$p"); fi
        done
        echo "${ports[*]}"
    fi
}

cpu_ticks() { # pid: utime+stime in clock ticks (0 when gone)
    awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

machine_busy_idle() { # prints "busy idle" ticks of the whole machine
    awk '/^cpu / { idle = $5 + $6; busy = 0; for (i = 2; i <= 9; i++) busy += $i; print busy - idle, idle }' /proc/stat
}

# ---------------------------------------------------------------------------------------------
# load: fill and timed runs with wrk + kv.lua
# ---------------------------------------------------------------------------------------------
fill() { # system url: writes every key once; prints the time it took
    local system=$1 url=$2 out="$RESULTS/$1-fill-r$LOAD_ROUND.txt" t0 t1 i done_threads written
    t0=$(date +%s.%N)
    wrk -t$FILL_CONNECTIONS -c$FILL_CONNECTIONS -d300s --timeout 10s -s "$BENCH_DIR/kv.lua" "$url" \
        -- "$system" fill "$KEYS" $FILL_CONNECTIONS >"$out" 2>&1 &
    WRK_PID=$!
    for ((i = 0; i < 3000; i++)); do
        done_threads=$(grep -c '^fill-done ' "$out" || true)
        [ "$done_threads" -ge $FILL_CONNECTIONS ] && break
        kill -0 "$WRK_PID" 2>/dev/null || break
        sleep 0.1
    done
    # wrk sleeps for its whole -d: SIGINT ends it once every thread has written its share
    kill -INT "$WRK_PID" 2>/dev/null || true
    wait "$WRK_PID" 2>/dev/null || true
    WRK_PID=""
    t1=$(date +%s.%N)
    written=$(awk '/^fill-done / { s += $3 } END { print s + 0 }' "$out")
    if [ "$written" -ne "$KEYS" ]; then
        echo "bench: $system fill wrote $written of $KEYS keys; see $out" >&2
        return 1
    fi
    say "$system: filled $KEYS keys in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s" \
        "($(awk '/^fill-done / { s += $4 } END { print s + 0 }' "$out") retried failures)"
}

declare -A RPS=() P50=() P99=() ERRS=() CPU=()
declare -A RPS_R=() P50_R=() P99_R=()   # "system|op|conns" -> the figure of every load round, in order
LOAD_ROUND=1
PROFILE_HOOK_START=""
PROFILE_HOOK_STOP=""

run_load() { # system url op connections: one timed wrk run; records and prints its figures
    local system=$1 url=$2 op=$3 conns=$4 tag="$1-$3-c$4-r$LOAD_ROUND" out="$RESULTS/$1-$3-c$4-r$LOAD_ROUND.txt"
    local -a pids=() before=()
    local pid busy0 idle0 busy1 idle1 line i cpu_line=""
    read -r -a pids <<<"${WATCH_PIDS[*]}"
    for pid in "${pids[@]}"; do before+=("$(cpu_ticks "$pid")"); done
    read -r busy0 idle0 <<<"$(machine_busy_idle)"
    if [ "$op" = "${OPS[0]}" ] && [ -n "$PROFILE_HOOK_START" ]; then $PROFILE_HOOK_START "$tag"; fi
    wrk -t2 -c"$conns" -d"${DURATION}s" --timeout 5s -s "$BENCH_DIR/kv.lua" "$url" \
        -- "$system" "$op" "$KEYS" >"$out" 2>&1 &
    WRK_PID=$!
    wait "$WRK_PID" || { WRK_PID=""; echo "bench: wrk failed; see $out" >&2; cat "$out" >&2; return 1; }
    WRK_PID=""
    if [ "$op" = "${OPS[0]}" ] && [ -n "$PROFILE_HOOK_STOP" ]; then $PROFILE_HOOK_STOP "$tag"; fi
    read -r busy1 idle1 <<<"$(machine_busy_idle)"
    line=$(grep -m1 '^result ' "$out") || { echo "bench: no result from wrk; see $out" >&2; cat "$out" >&2; return 1; }
    field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$line"; }
    local key="$system|$op|$conns"
    local rps p50 p99
    rps=$(field ok_rps); p50=$(field p50_us); p99=$(field p99_us)
    RPS_R[$key]+=" $rps"; P50_R[$key]+=" $p50"; P99_R[$key]+=" $p99"
    # the table's figures: each system's median over the rounds so far
    RPS[$key]=$(median <<<"${RPS_R[$key]}")
    P50[$key]=$(median <<<"${P50_R[$key]}")
    P99[$key]=$(median <<<"${P99_R[$key]}")
    ERRS[$key]=$((${ERRS[$key]:-0} + $(field err_status) + $(field err_connect) + $(field err_read) + $(field err_write) + $(field err_timeout)))
    # CPU used per process during the run, in cores (the rest of the machine's busy time is wrk & co.)
    local total_busy=$(( (busy1 - busy0) )) secs
    secs=$(awk -v b="$busy1" -v b0="$busy0" -v i="$idle1" -v i0="$idle0" -v hz="$CLK_TCK" \
        'BEGIN { printf "%.3f", ((b - b0) + (i - i0)) / hz / '"$(nproc)"' }')
    local own=0
    for i in "${!pids[@]}"; do
        local d=$(( $(cpu_ticks "${pids[$i]}") - ${before[$i]} ))
        own=$((own + d))
        cpu_line+=" ${NAME_OF[${pids[$i]}]}=$(awk -v d="$d" -v hz="$CLK_TCK" -v s="$secs" 'BEGIN { printf "%.2f", d / hz / s }')"
    done
    cpu_line+=" other=$(awk -v d="$((total_busy - own))" -v hz="$CLK_TCK" -v s="$secs" 'BEGIN { printf "%.2f", d / hz / s }')"
    cpu_line+=" idle=$(awk -v d="$((idle1 - idle0))" -v hz="$CLK_TCK" -v s="$secs" 'BEGIN { printf "%.2f", d / hz / s }')"
    CPU[$key]=$cpu_line
    printf '%s  %-5s %-4s c=%-3s round %s %9.0f req/s  p50 %7.2f ms  p99 %7.2f ms  errors %s\n' "$(date -u +%H:%M:%S)" \
        "$system" "$op" "$conns" "$LOAD_ROUND" "$rps" "$(awk -v u="$p50" 'BEGIN { print u / 1000 }')" \
        "$(awk -v u="$p99" 'BEGIN { print u / 1000 }')" "${ERRS[$key]}"
    echo "         cpu (cores) $tag:$cpu_line" | tee -a "$RESULTS/cpu.txt"
}

run_all() { # system url: an unrecorded warm-up (JIT, caches, connections), then every figure
    local op c
    if [ "$WARMUP" -gt 0 ]; then
        for op in "${OPS[@]}"; do
            wrk -t2 -c64 -d"${WARMUP}s" --timeout 5s -s "$BENCH_DIR/kv.lua" "$2" \
                -- "$1" "$op" "$KEYS" >"$RESULTS/$1-warmup-$op-r$LOAD_ROUND.txt" 2>&1 &
            WRK_PID=$!
            wait "$WRK_PID" || { WRK_PID=""; cat "$RESULTS/$1-warmup-$op-r$LOAD_ROUND.txt" >&2; die "$1: warm-up failed"; }
            WRK_PID=""
        done
        say "$1: warmed up (${WARMUP}s of each of ${OPS[*]} at 64 connections, not recorded)"
    fi
    for op in "${OPS[@]}"; do
        for c in "${CONNECTIONS[@]}"; do
            run_load "$1" "$2" "$op" "$c"
        done
    done
}

# ---------------------------------------------------------------------------------------------
# memory, idle CPU and failover: the same for both systems
# ---------------------------------------------------------------------------------------------
declare -A HWM_KB=() RSS_KB=()   # "system|process" -> peak VmHWM over every incarnation, last VmRSS
MEM_ORDER=()

sample_mem() { # system name pid: folds the process's VmHWM into the peak of "name"
    local k="$1|$2" rss hwm
    read -r rss hwm <<<"$(awk '/^VmRSS:/ { r = $2 } /^VmHWM:/ { h = $2 } END { print r + 0, h + 0 }' "/proc/$3/status" 2>/dev/null || echo "0 0")"
    [ "${hwm:-0}" -gt 0 ] || return 0
    [ -n "${HWM_KB[$k]:-}" ] || MEM_ORDER+=("$k")
    [ "${HWM_KB[$k]:-0}" -ge "$hwm" ] || HWM_KB[$k]=$hwm
    RSS_KB[$k]=$rss
}

declare -A IDLE_TOTAL=() IDLE_DETAIL=() IDLE_VALUES=() IDLE_ROUND=()

measure_idle() { # system pid:name...: CPU of the given processes over IDLE_SECS without load
    local system=$1 e d own=0 busy0 idle0 busy1 idle1 t0 t1 secs detail=""
    shift
    local -a before=()
    say "$system: ${SETTLE} s to settle, then ${IDLE_SECS} s of idle CPU"
    sleep "$SETTLE"
    read -r busy0 idle0 <<<"$(machine_busy_idle)"
    t0=$(date +%s.%N)
    for e in "$@"; do before+=("$(cpu_ticks "${e%%:*}")"); done
    # the same window per thread (run time and wake-ups from schedstat), for what still wakes up
    IDLE_ROUND[$system]=$(( ${IDLE_ROUND[$system]:-0} + 1 ))
    python3 "$BENCH_DIR/threads.py" "$IDLE_SECS" "$@" >"$RESULTS/threads-$system-${IDLE_ROUND[$system]}.txt" 2>&1 &
    local sampler=$!
    sleep "$IDLE_SECS"
    wait "$sampler" 2>/dev/null || true
    local i=0
    for e in "$@"; do
        d=$(( $(cpu_ticks "${e%%:*}") - ${before[$i]} )); i=$((i + 1))
        own=$((own + d))
        detail+=" ${e#*:}=$d"
    done
    t1=$(date +%s.%N)
    read -r busy1 idle1 <<<"$(machine_busy_idle)"
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    local total line
    total=$(awk -v d="$own" -v hz="$CLK_TCK" -v s="$secs" 'BEGIN { printf "%.3f", d / hz / s }')
    IDLE_VALUES[$system]+=" $total"
    IDLE_TOTAL[$system]=$(median <<<"${IDLE_VALUES[$system]}")
    # per process in cores, then what the rest of the machine used meanwhile
    line=$(for x in $detail; do
        awk -v n="${x%%=*}" -v d="${x#*=}" -v hz="$CLK_TCK" -v s="$secs" 'BEGIN { printf "%s %.3f, ", n, d / hz / s }'
    done)"rest of the machine $(awk -v b="$((busy1 - busy0 - own))" -v hz="$CLK_TCK" -v s="$secs" 'BEGIN { printf "%.2f", b / hz / s }')"
    IDLE_DETAIL[$system]+="${IDLE_DETAIL[$system]:+; }$line"
    say "$system idle: $total cores over ${secs} s ($line)"
    echo "idle $system $total cores: $line" >>"$RESULTS/idle.txt"
    say "$system idle, busiest threads (all processes; per process in $RESULTS/threads-$system-${IDLE_ROUND[$system]}.txt):"
    sed -n '/^all processes/,$p' "$RESULTS/threads-$system-${IDLE_ROUND[$system]}.txt" | head -9
}

declare -A GAPS=() READBACK=()
KILLED=""

median() { tr ' ' '\n' | { grep -E '^[0-9.]+$' || true; } | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

last_ack_after() { # ackfile time: true when the file's last acknowledged put is later than time
    local last
    last=$(tail -n1 "$1" 2>/dev/null | cut -d' ' -f1)
    [ -n "$last" ] && awk -v a="$last" -v t="$2" 'BEGIN { exit !(a > t) }'
}

failover_round() { # key system round kill_fn restart_fn writer_opts url...: one kill under the writer's load
    local key=$1 system=$2 round=$3 kill_fn=$4 restart_fn=$5 wopts=$6 ack t_kill i gap n check recovered=0 t0
    shift 6
    ack="$RESULTS/$key-failover$round.acks"
    : >"$ack"
    # shellcheck disable=SC2086
    start_bg "writer-$key-$round" "$RESULTS/$key-writer$round.log" \
        python3 "$BENCH_DIR/writer.py" write $wopts "$system" "fo-$key-$round" "$ack" "$@"
    local writer=$LAST_PID
    t0=$(date +%s.%N)
    for ((i = 0; i < 300; i++)); do
        [ "$(wc -l <"$ack")" -ge 20 ] && break
        sleep 0.1
    done
    [ "$(wc -l <"$ack")" -ge 20 ] || { stop_pid "$writer"; tail -5 "$RESULTS/$key-writer$round.log" >&2; die "$key: the writer got fewer than 20 puts acknowledged in 30 s"; }
    sleep 2
    $kill_fn "$round"
    t_kill=$(date +%s.%N)
    for ((i = 0; i < 600; i++)); do
        if last_ack_after "$ack" "$t_kill"; then recovered=1; break; fi
        sleep 0.1
    done
    sleep 2
    stop_pid "$writer"
    read -r gap n <<<"$(python3 "$BENCH_DIR/writer.py" gap "$ack")"
    if [ $recovered = 0 ]; then gap=">60"; fi
    check=$(python3 "$BENCH_DIR/writer.py" check "$system" "$ack" "$@" || true)
    READBACK[$key]+="${READBACK[$key]:+; }$check"
    GAPS[$key]+=" $gap"
    say "$key failover $round: killed $KILLED; longest gap between acknowledged puts ${gap} s ($n puts acknowledged); read back: $check"
    echo "failover $key $round killed=$KILLED gap_s=$gap acked=$n $check" >>"$RESULTS/failover.txt"
    $restart_fn "$round"
}

# ---------------------------------------------------------------------------------------------
# Ravel
# ---------------------------------------------------------------------------------------------
# The memory sizing of every Ravel JVM, the same as bin/ravel_node's default (docs/configuration.md,
# "Memory"): a 96 MiB heap with the
# serial collector (G1's own structures take about 40 MiB at this heap size), at most 64 MiB of direct
# buffers, gRPC's Netty pool in two arenas of 2 MiB chunks (its default: four of 4 MiB on two cores),
# no perf-data sampler (a thread that wakes 20 times a second for jstat); MALLOC_ARENA_MAX=2 keeps
# glibc from growing one arena per thread.
RAVEL_MEMORY_OPTS=(-Xmx96m -Xms32m -XX:+UseSerialGC -XX:MaxDirectMemorySize=64m -XX:MaxMetaspaceSize=80m
    -XX:ReservedCodeCacheSize=40m -Xss512k -XX:-UsePerfData
    -Dio.grpc.netty.shaded.io.netty.allocator.maxOrder=8 -Dio.grpc.netty.shaded.io.netty.allocator.numDirectArenas=2)
NODE_JAR="$REPO_DIR/ravel-node/target/ravel-node.jar"
ADMIN_JAR="$REPO_DIR/ravel-cluster-admin/target/ravel-cluster-admin.jar"
RAVEL_PIDS=()
declare -A RAVEL_ROLE=() NODE_ID_OF_PID=()

ravel_commands() {
    if [ $INSTALLED = 0 ] && [ -f "$NODE_JAR" ] && [ -f "$ADMIN_JAR" ]; then
        local opts=("${RAVEL_MEMORY_OPTS[@]}" -Dlogback.middleware.log.disable=true)
        # shellcheck disable=SC2206
        opts+=(${RAVEL_JAVA_OPTS:-})
        # a copy, taken once, so that a rebuild of the repo during the run cannot change the daemons
        if [ ! -d "$WORK/jars" ]; then
            mkdir -p "$WORK/jars/node" "$WORK/jars/admin"
            cp -r "$NODE_JAR" "$(dirname "$NODE_JAR")/lib" "$WORK/jars/node/"
            cp -r "$ADMIN_JAR" "$(dirname "$ADMIN_JAR")/lib" "$WORK/jars/admin/"
        fi
        NODE_CMD=(env MALLOC_ARENA_MAX=2 java "${opts[@]}" -jar "$WORK/jars/node/$(basename "$NODE_JAR")")
        ADMIN_CMD=(env MALLOC_ARENA_MAX=2 java "${opts[@]}" -jar "$WORK/jars/admin/$(basename "$ADMIN_JAR")")
        RAVEL_FROM="repo jars ($(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO_DIR" diff --quiet HEAD -- ravel-node ravel-cluster-admin ravel-common ravel-proto 2>/dev/null || echo ', uncommitted changes'); jars built $(date -u -r "$NODE_JAR" +%H:%M:%SZ))"
    elif command -v ravel_node >/dev/null 2>&1 && command -v ravel_cluster_admin >/dev/null 2>&1; then
        export RAVEL_JAVA_OPTS="${RAVEL_MEMORY_OPTS[*]} ${RAVEL_JAVA_OPTS:-}"
        NODE_CMD=(env MALLOC_ARENA_MAX=2 ravel_node)
        ADMIN_CMD=(env MALLOC_ARENA_MAX=2 ravel_cluster_admin)
        RAVEL_FROM="installed: $(command -v ravel_node), $(command -v ravel_cluster_admin)"
    else
        die "no Ravel: build the repo (mvn -B -q -DskipTests package) or install it (./install.sh)"
    fi
}

java_pid() { # pid of a started Ravel command: itself when it is the JVM, else its java child
    local pid=$1 child
    if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = java ]; then echo "$pid"; return; fi
    for child in $(cat "/proc/$pid/task/$pid/children" 2>/dev/null); do
        if [ "$(cat "/proc/$child/comm" 2>/dev/null)" = java ]; then echo "$child"; return; fi
    done
    echo "$pid"
}

declare -A NODE_ARGS=()   # replica name -> its command line (printf %q), for a restart after a kill

launch_node() { # name logfile: starts (or restarts) replica "name" with NODE_ARGS[name], waits until ready
    local name=$1 log=$2 line p
    local -a cmd
    eval "cmd=(${NODE_ARGS[$name]})"
    start_bg "$name" "$log" "${cmd[@]}"
    p=$LAST_PID
    RAVEL_PIDS+=("$p")
    RAVEL_ROLE[$p]=$name
    line=$(wait_for_line "$p" "$log" '^ravel_node ready ' 120)
    NODE_ID_OF_PID[$(java_pid "$p")]=$(sed -n 's/.* node=\([^ ]*\).*/\1/p' <<<"$line")
    say "$line"
}

start_node() { # name leader(0|1)
    local name=$1 leader=$2 g r
    local -a args
    read -r g r <<<"$(free_ports 2)"
    args=(start -s="$WORK/$name" -r="127.0.0.1:$r" -g="127.0.0.1:$g" -a="$ADMIN_GRPC_LIST")
    [ "$leader" = 1 ] && args+=(-l=true)
    if [ $PROFILE = 1 ]; then
        # SOFAJRaft handles SIGUSR2 (it dumps node state to files), which is also the signal the
        # JVM suspends threads with for JFR's samples: move the JVM's to another signal, or the
        # replica's profile has no CPU samples and it writes a dump file for every sample taken
        NODE_ARGS[$name]=$(printf '%q ' env _JAVA_SR_SIGNUM=45 "${NODE_CMD[@]}" "${args[@]}")
    else
        NODE_ARGS[$name]=$(printf '%q ' "${NODE_CMD[@]}" "${args[@]}")
    fi
    launch_node "$name" "$RESULTS/ravel-$name$RUN_TAG.log"
}

declare -A ADMIN_ARGS=() ADMIN_PID_OF=()   # admin index -> its command line (printf %q), its start PID
ADMIN_HTTPS=()                               # admin index -> its HTTP host:port

live_admin() { # host:port of the first live admin (the admin of a single-admin run)
    local i
    for ((i = 0; i < ADMINS; i++)); do
        kill -0 "${ADMIN_PID_OF[$i]}" 2>/dev/null && { echo "${ADMIN_HTTPS[$i]}"; return 0; }
    done
    echo "${ADMIN_HTTPS[0]}"
}

admin_urls() { # http://host:port of every admin
    local a
    for a in "${ADMIN_HTTPS[@]}"; do echo "http://$a"; done
}

ravel_healthy() { # every cluster has a live leader and 3 replicas, no relocation runs, every admin serves
    local body id pid live i
    body=$(curl -s --max-time 2 "http://$(live_admin)/clusters" || true)
    [ -n "$body" ] && jq -e --argjson n "$CLUSTERS" \
        '(.clusters | length) == $n and all(.clusters[]; .leader != null and (.replicas | length) == 3)
         and (.relocation.inProgress | not) and (.adminGroup.size == 1 or .adminGroup.leader != null)' >/dev/null 2>&1 <<<"$body" || return 1
    for id in $(jq -r '.clusters[].leader.id' <<<"$body"); do
        live=0
        for pid in "${!NODE_ID_OF_PID[@]}"; do
            [ "${NODE_ID_OF_PID[$pid]}" = "$id" ] && kill -0 "$pid" 2>/dev/null && live=1
        done
        [ $live = 1 ] || return 1
    done
    if [ "$ADMINS" -gt 1 ]; then
        # every admin of the group routes keys (a restarted one only once it has caught up)
        for ((i = 0; i < ADMINS; i++)); do
            [ "$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
                -d '{"key":"bench-probe","val":"ok"}' "http://${ADMIN_HTTPS[$i]}/put")" = 200 ] || return 1
        done
    fi
    HEALTHY_BODY=$body
}

launch_admin() { # index logfile: starts (or restarts) admin "index" with ADMIN_ARGS[index], waits until ready
    local i=$1 log=$2 line
    local -a cmd
    eval "cmd=(${ADMIN_ARGS[$i]})"
    start_bg "admin$i" "$log" "${cmd[@]}"
    ADMIN_PID_OF[$i]=$LAST_PID
    RAVEL_PIDS+=("$LAST_PID")
    RAVEL_ROLE[$LAST_PID]=$(admin_name "$i")
    line=$(wait_for_line "$LAST_PID" "$log" '^ravel_cluster_admin ready ' 60)
    say "$line"
}

admin_name() { if [ "$ADMINS" = 1 ]; then echo admin; else echo "admin$1"; fi; }

start_ravel() {
    ravel_commands
    say "Ravel from $RAVEL_FROM"
    local http grpc raft line c r n=0 i peers=""
    local -a ports=()
    read -r -a ports <<<"$(free_ports $((3 * ADMINS)))"
    ADMIN_GRPC_LIST=""
    for ((i = 0; i < ADMINS; i++)); do
        peers+="${peers:+,}127.0.0.1:${ports[$((3 * i + 2))]}"
    done
    for ((i = 0; i < ADMINS; i++)); do
        http=${ports[$((3 * i))]}; grpc=${ports[$((3 * i + 1))]}; raft=${ports[$((3 * i + 2))]}
        ADMIN_HTTPS[$i]="127.0.0.1:$http"
        ADMIN_GRPC_LIST+="${ADMIN_GRPC_LIST:+,}127.0.0.1:$grpc"
        local -a group=()
        [ "$ADMINS" -gt 1 ] && group=(--raft="127.0.0.1:$raft" --peers="$peers")
        ADMIN_ARGS[$i]=$(printf '%q ' "${ADMIN_CMD[@]}" --http="127.0.0.1:$http" --grpc="127.0.0.1:$grpc" \
            --backupPath="$WORK/ravel-admin$i" "${group[@]}")
    done
    # the admins of a group start together: the first waits for a majority before it serves
    for ((i = 0; i < ADMINS; i++)); do
        local -a cmd
        eval "cmd=(${ADMIN_ARGS[$i]})"
        start_bg "admin$i" "$RESULTS/ravel-$(admin_name "$i")$RUN_TAG.log" "${cmd[@]}"
        ADMIN_PID_OF[$i]=$LAST_PID
        RAVEL_PIDS+=("$LAST_PID")
        RAVEL_ROLE[$LAST_PID]=$(admin_name "$i")
    done
    for ((i = 0; i < ADMINS; i++)); do
        line=$(wait_for_line "${ADMIN_PID_OF[$i]}" "$RESULTS/ravel-$(admin_name "$i")$RUN_TAG.log" '^ravel_cluster_admin ready ' 60)
        say "$line"
    done
    ADMIN_PID=${ADMIN_PID_OF[0]}
    ADMIN_HTTP=${ADMIN_HTTPS[0]}
    for ((c = 1; c <= CLUSTERS; c++)); do start_node "leader$c" 1; done
    for ((r = 1; r <= 2 * CLUSTERS; r++)); do start_node "replica$r" 0; done

    # every cluster has a leader and 3 replicas, and no relocation is running
    local body ok=0
    for ((n = 0; n < 600; n++)); do
        if ravel_healthy; then ok=1; break; fi
        sleep 0.2
    done
    body=${HEALTHY_BODY:-}
    [ $ok = 1 ] || { curl -s --max-time 2 "http://$ADMIN_HTTP/clusters" >&2 || true; die "Ravel did not reach $CLUSTERS cluster(s) x 3 replicas with leaders in 120 s"; }
    echo "$body" | jq -c '.clusters[] | {id, leader: .leader.id, replicas: (.replicas | length), partitions}'
    for ((n = 0; n < 300; n++)); do
        if [ "$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
            -d '{"key":"bench-probe","val":"ok"}' "http://$ADMIN_HTTP/put")" = 200 ]; then
            ok=2; break
        fi
        sleep 0.2
    done
    [ $ok = 2 ] || die "Ravel: no successful /put within 60 s"
    say "Ravel: $ADMINS admin(s) (http ${ADMIN_HTTPS[*]}), $CLUSTERS cluster(s) x 3 replicas, /put works"
}

ravel_kill_admin_leader() { # round: kill -9 of the admin that says it leads (GET /health "role")
    local i victim=""
    for ((i = 0; i < ADMINS; i++)); do
        kill -0 "${ADMIN_PID_OF[$i]}" 2>/dev/null || continue
        if [ "$(curl -s --max-time 2 "http://${ADMIN_HTTPS[$i]}/health" | jq -r '.role' 2>/dev/null)" = leader ]; then
            victim=$i
        fi
    done
    [ -n "$victim" ] || die "Ravel: no admin says it leads the admin group"
    ravel_sample_mem
    local j
    j=$(java_pid "${ADMIN_PID_OF[$victim]}")
    kill -KILL "$j"
    { wait "${ADMIN_PID_OF[$victim]}"; } 2>/dev/null || true
    KILLED_NAME=$victim
    KILLED="$(admin_name "$victim") (admin leader, http ${ADMIN_HTTPS[$victim]})"
}

ravel_restart_admin() { # round: the killed admin again, same command line and --backupPath
    local round=$1 n
    launch_admin "$KILLED_NAME" "$RESULTS/ravel-$(admin_name "$KILLED_NAME").restart$round.log"
    for ((n = 0; n < 600; n++)); do
        if ravel_healthy; then return 0; fi
        sleep 0.2
    done
    die "Ravel: the admin group did not serve again through every admin 120 s after the restart of $(admin_name "$KILLED_NAME")"
}

ravel_leader_pids() { # JVM PIDs of the cluster leaders, from GET /clusters
    local id pid
    for id in $(curl -s --max-time 5 "http://$(live_admin)/clusters" | jq -r '.clusters[].leader.id'); do
        for pid in "${!NODE_ID_OF_PID[@]}"; do
            [ "${NODE_ID_OF_PID[$pid]}" = "$id" ] && echo "$pid"
        done
    done
}

verify_ravel() { # a few keys read back with their values
    local i k v got
    for i in 0 $((KEYS - 1)) $((RANDOM % KEYS)) $((RANDOM % KEYS)) $((RANDOM % KEYS)); do
        k=$(printf 'key%05d' "$i")
        v="value-$k-"
        got=$(curl -s --max-time 5 -H 'Content-Type: application/json' -d "{\"key\":\"$k\"}" "http://$ADMIN_HTTP/get")
        [ "$(jq -r '.val' <<<"$got" 2>/dev/null)" = "$v$(printf 'x%.0s' $(seq 1 $((100 - ${#v}))))" ] \
            || die "Ravel: $k read back as $got"
    done
}

thread_ticks() { # pid...: "pid tid name ticks" of every thread (utime + stime from /proc/PID/task/TID/stat)
    local pid
    for pid in "$@"; do
        for t in /proc/"$pid"/task/*; do
            [ -r "$t/stat" ] || continue
            # the name (field 2) is in parentheses and may hold spaces: count fields after the ")"
            printf '%s %s %s %s\n' "$pid" "${t##*/}" "$(tr ' ' '_' <"$t/comm" 2>/dev/null)" \
                "$(sed 's/.*) //' "$t/stat" 2>/dev/null | awk '{ print $12 + $13 }')"
        done
    done
}

THREADS_BEFORE=""
thread_report() { # tag seconds: CPU of every thread of every Ravel JVM during the run, in % of a core, busiest first
    local f="$RESULTS/threads-$1.txt" j e
    local -a jvms=()
    for e in $(ravel_live); do jvms+=("${e%%:*}"); done
    {
        echo "CPU per thread during $1 (% of one core over $2 s; digits of pool names kept)"
        thread_ticks "${jvms[@]}" | awk -v hz="$CLK_TCK" -v s="$2" -v before="$THREADS_BEFORE" '
            BEGIN { n = split(before, b, "\n"); for (i = 1; i <= n; i++) { split(b[i], f, " "); t0[f[1] " " f[2]] = f[4] } }
            { d = $4 - t0[$1 " " $2]; if (d > 0) printf "%6.1f%% %s %s\n", 100 * d / hz / s, $1, $3 }' | sort -rn
    } >"$f"
    for e in $(ravel_live); do echo "pid ${e%%:*} = ${e#*:}" >>"$f"; done
    say "CPU per thread during $1: $f"
}

JFR_PIDS=()
jfr_start() {
    local pid j e
    local -a jvms=()
    for e in $(ravel_live); do jvms+=("${e%%:*}"); done
    THREADS_BEFORE=$(thread_ticks "${jvms[@]}")
    JFR_PIDS=()
    for pid in "$ADMIN_PID" $(ravel_leader_pids); do
        j=$(java_pid "$pid")
        jcmd "$j" JFR.start name=bench settings=profile >/dev/null && JFR_PIDS+=("$j:${RAVEL_ROLE[$pid]}")
    done
}
jfr_stop() { # tag
    local entry j role f
    thread_report "$1" "$DURATION"
    for entry in "${JFR_PIDS[@]}"; do
        j=${entry%%:*}; role=${entry#*:}
        f="$RESULTS/jfr-$1-$role.jfr"
        jcmd "$j" JFR.stop name=bench filename="$f" >/dev/null
        "$BENCH_DIR/jfr-top.sh" "$f" >"${f%.jfr}.txt" 2>&1 || true
        say "profile of $role during $1: ${f%.jfr}.txt"
    done
}

ravel_sample_mem() {
    local pid
    for pid in "${RAVEL_PIDS[@]}"; do sample_mem ravel "${RAVEL_ROLE[$pid]}" "$(java_pid "$pid")"; done
}

ravel_live() { # pid:name of every live Ravel JVM
    local pid j
    for pid in "${RAVEL_PIDS[@]}"; do
        j=$(java_pid "$pid")
        kill -0 "$j" 2>/dev/null && echo "$j:${RAVEL_ROLE[$pid]}"
    done
}

ravel_kill_leader() { # round: kill -9 of the leader of cluster ((round - 1) mod N) + 1
    local round=$1 c id pid victim=""
    c=$(( (round - 1) % CLUSTERS ))
    id=$(curl -s --max-time 5 "http://$(live_admin)/clusters" | jq -r --argjson c "$c" '.clusters[$c].leader.id')
    for pid in "${!NODE_ID_OF_PID[@]}"; do
        [ "${NODE_ID_OF_PID[$pid]}" = "$id" ] && kill -0 "$pid" 2>/dev/null && victim=$pid
    done
    [ -n "$victim" ] || die "Ravel: cluster $((c + 1))'s leader $id is not a live replica of this run"
    ravel_sample_mem
    for pid in "${RAVEL_PIDS[@]}"; do [ "$(java_pid "$pid")" = "$victim" ] && KILLED=${RAVEL_ROLE[$pid]}; done
    kill -KILL "$victim"
    { wait "$victim"; } 2>/dev/null || true
    KILLED_NAME=$KILLED
    KILLED="$KILLED (leader of cluster $((c + 1)), node $id)"
}

ravel_restart() { # round: the killed replica again, same command line and storage dir
    local round=$1 n
    launch_node "$KILLED_NAME" "$RESULTS/ravel-$KILLED_NAME.restart$round.log"
    for ((n = 0; n < 600; n++)); do
        if ravel_healthy; then return 0; fi
        sleep 0.2
    done
    die "Ravel: not back to $CLUSTERS cluster(s) x 3 replicas with live leaders 120 s after the restart of $KILLED_NAME"
}

ravel_load() {
    local url="http://$ADMIN_HTTP" pid
    fill ravel "$url"
    verify_ravel
    WATCH_PIDS=()
    for pid in "${RAVEL_PIDS[@]}"; do
        kill -0 "$pid" 2>/dev/null || continue
        WATCH_PIDS+=("$(java_pid "$pid")"); NAME_OF[$(java_pid "$pid")]=${RAVEL_ROLE[$pid]}
    done
    if [ $PROFILE = 1 ]; then PROFILE_HOOK_START=jfr_start; PROFILE_HOOK_STOP=jfr_stop; fi
    run_all ravel "$url"
    PROFILE_HOOK_START=""; PROFILE_HOOK_STOP=""
}

# ---------------------------------------------------------------------------------------------
# etcd: 3 members on loopback, default durability
# ---------------------------------------------------------------------------------------------
ETCD_PIDS=()
ETCD_CLIENTS=()
declare -A ETCD_ARGS=()

etcd_launch() { # member logfile
    local i=$1
    local -a cmd
    eval "cmd=(${ETCD_ARGS[$i]})"
    start_bg "etcd$i" "$2" "${cmd[@]}"
    ETCD_PIDS[$i]=$LAST_PID
}

etcd_healthy() { # all 3 members answer /health with true
    local i members=0
    for i in 0 1 2; do
        kill -0 "${ETCD_PIDS[$i]}" 2>/dev/null || { tail -20 "$RESULTS/etcd$i$RUN_TAG.log" >&2; die "etcd member e$i exited"; }
        curl -s --max-time 1 "${ETCD_CLIENTS[$i]}/health" | grep -q '"health":"true"' && members=$((members + 1))
    done
    [ $members = 3 ]
}

etcd_wait_healthy() {
    local n
    for ((n = 0; n < 300; n++)); do
        etcd_healthy && return 0
        sleep 0.2
    done
    die "etcd: not all 3 members healthy after 60 s"
}

etcd_leader() { # index of the leader member, from any live member's status
    local i line
    for i in 0 1 2; do
        kill -0 "${ETCD_PIDS[$i]}" 2>/dev/null || continue
        line=$(curl -s --max-time 2 -X POST -d '{}' "${ETCD_CLIENTS[$i]}/v3/maintenance/status" || true)
        if [ -n "$line" ] && [ "$(jq -r '.header.member_id' <<<"$line")" = "$(jq -r '.leader' <<<"$line")" ]; then
            echo "$i"; return 0
        fi
    done
    return 1
}

etcd_sample_mem() {
    local i
    for i in 0 1 2; do sample_mem etcd "etcd$i" "${ETCD_PIDS[$i]}"; done
}

etcd_kill_leader() {
    local i
    i=$(etcd_leader) || die "etcd: no leader to kill"
    etcd_sample_mem
    kill -KILL "${ETCD_PIDS[$i]}"
    { wait "${ETCD_PIDS[$i]}"; } 2>/dev/null || true
    KILLED_NAME=$i
    KILLED="etcd$i (leader)"
}

etcd_restart() { # round: the killed member again, same command line and data dir
    etcd_launch "$KILLED_NAME" "$RESULTS/etcd$KILLED_NAME.restart$1.log"
    etcd_wait_healthy
    local n
    for ((n = 0; n < 100; n++)); do etcd_leader >/dev/null && return 0; sleep 0.2; done
    die "etcd: no leader 20 s after the restart of etcd$KILLED_NAME"
}

start_etcd() {
    ETCD_VERSION=$(etcd --version | sed -n 's/^etcd Version: //p')
    ETCD_FROM="$ETCD_VERSION, 3 members, the client on the leader's v3 JSON gateway"
    say "etcd $ETCD_VERSION (3 members)"
    local i ports cluster=""
    read -r -a ports <<<"$(free_ports 6)"
    for i in 0 1 2; do cluster+="${cluster:+,}e$i=http://127.0.0.1:${ports[$((2 * i + 1))]}"; done
    for i in 0 1 2; do
        local c=${ports[$((2 * i))]} p=${ports[$((2 * i + 1))]}
        ETCD_ARGS[$i]=$(printf '%q ' etcd --name "e$i" --data-dir "$WORK/etcd$i" \
            --listen-client-urls "http://127.0.0.1:$c" --advertise-client-urls "http://127.0.0.1:$c" \
            --listen-peer-urls "http://127.0.0.1:$p" --initial-advertise-peer-urls "http://127.0.0.1:$p" \
            --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token "bench-$$" \
            --logger zap --log-level warn)
        ETCD_CLIENTS[$i]="http://127.0.0.1:$c"
        etcd_launch "$i" "$RESULTS/etcd$i$RUN_TAG.log"
    done
    etcd_wait_healthy
    # the client talks to the leader (a follower would forward every request to it)
    i=$(etcd_leader) || die "etcd: no leader found"
    ETCD_LEADER_URL=${ETCD_CLIENTS[$i]}
    NAME_OF[${ETCD_PIDS[$i]}]="etcd$i(leader)"
    say "etcd: 3 members healthy, leader at $ETCD_LEADER_URL"
}

etcd_load() {
    local leader_url=$ETCD_LEADER_URL count
    fill etcd "$leader_url"
    count=$(curl -s --max-time 5 -X POST -d "{\"key\":\"$(printf key | base64)\",\"range_end\":\"$(printf kez | base64)\",\"count_only\":true}" \
        "$leader_url/v3/kv/range" | jq -r '.count')
    [ "$count" = "$KEYS" ] || die "etcd: $count keys after the fill, expected $KEYS"
    WATCH_PIDS=("${ETCD_PIDS[@]}")
    run_all etcd "$leader_url"
}

# ---------------------------------------------------------------------------------------------
# the run: both systems up side by side, their rounds alternating
# ---------------------------------------------------------------------------------------------
ravel_on() { [ "$ONLY" != etcd ] && shared_parts; }
etcd_on() { [ "$ONLY" != ravel ] && shared_parts; }

sample_all_mem() {
    if ravel_on; then ravel_sample_mem; fi
    if etcd_on; then etcd_sample_mem; fi
}

stop_ravel() { # every Ravel process, replicas first; their storage dirs are removed
    local i
    for ((i = ${#RAVEL_PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${RAVEL_PIDS[$i]}"; done
    RAVEL_PIDS=(); NODE_ID_OF_PID=()
    rm -rf "$WORK"/leader* "$WORK"/replica* "$WORK"/ravel-admin*
}

stop_etcd() { # the 3 members; their data dirs are removed
    local i
    for i in 0 1 2; do stop_pid "${ETCD_PIDS[$i]}"; done
    ETCD_PIDS=()
    rm -rf "$WORK"/etcd[0-9]*
}

load_rounds() { # each round: one whole system started afresh, filled, warmed up, measured, stopped; then the other
    for ((LOAD_ROUND = 1; LOAD_ROUND <= ROUNDS; LOAD_ROUND++)); do
        RUN_TAG=".load$LOAD_ROUND"
        if ravel_on; then
            say "load round $LOAD_ROUND of $ROUNDS: Ravel"
            start_ravel; ravel_load; ravel_sample_mem; stop_ravel
        fi
        if etcd_on; then
            say "load round $LOAD_ROUND of $ROUNDS: etcd"
            start_etcd; etcd_load; etcd_sample_mem; stop_etcd
        fi
    done
    RUN_TAG=""
}

run_bench() {
    local round
    if has load; then load_rounds; fi
    if has idle || has failover || has admin-failover; then side_by_side; fi
    if has relocation; then ravel_relocation; fi
    if has scale; then ravel_scale; fi
}

side_by_side() { # idle and failover rounds, both systems running for the whole of it
    local round
    if ravel_on; then start_ravel; fi
    if etcd_on; then start_etcd; fi
    sample_all_mem
    if has idle; then
        for ((round = 1; round <= ROUNDS; round++)); do
            # shellcheck disable=SC2046
            if ravel_on; then measure_idle ravel $(ravel_live); fi
            if etcd_on; then measure_idle etcd "${ETCD_PIDS[0]}:etcd0" "${ETCD_PIDS[1]}:etcd1" "${ETCD_PIDS[2]}:etcd2"; fi
        done
    fi
    if has failover; then
        for ((round = 1; round <= FAILOVERS; round++)); do
            # shellcheck disable=SC2046
            if ravel_on; then failover_round ravel ravel "$round" ravel_kill_leader ravel_restart "" $(admin_urls); fi
            if etcd_on; then failover_round etcd etcd "$round" etcd_kill_leader etcd_restart "" "${ETCD_CLIENTS[@]}"; fi
        done
    fi
    if has admin-failover; then
        for ((round = 1; round <= FAILOVERS; round++)); do
            # shellcheck disable=SC2046
            failover_round ravel-admin ravel "$round" ravel_kill_admin_leader ravel_restart_admin --spread $(admin_urls)
            if etcd_on; then failover_round etcd-b etcd "$round" etcd_kill_leader etcd_restart "" "${ETCD_CLIENTS[@]}"; fi
        done
    fi
    sample_all_mem
    say "stopping every process"
    stop_all
}

# ---------------------------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------------------------
ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.2f", a / b }'; }

round_ratio() { # "a1 a2 ..." "b1 b2 ...": median of a_i / b_i over the rounds both have
    local -a a b
    local i out=""
    read -r -a a <<<"$1"; read -r -a b <<<"$2"
    for ((i = 0; i < ${#a[@]} && i < ${#b[@]}; i++)); do
        out+=" $(ratio "${a[$i]}" "${b[$i]}")"
    done
    median <<<"$out"
}

gap_rows() { # label ravel-key etcd-key: the failover rows of the table
    local mr me
    mr=$(median <<<"${GAPS[$2]:-}"); me=$(median <<<"${GAPS[$3]:-}")
    echo "| $1: longest gap between acknowledged puts, s ($FAILOVERS kills) | $mr | $me | $(round_ratio "${GAPS[$2]:-}" "${GAPS[$3]:-}") |"
    echo "| $1: every gap, s | ${GAPS[$2]:--} | ${GAPS[$3]:--} | |"
}

report() {
    local op c k r e sys
    echo
    echo "## Ravel vs etcd: $(date -u +%Y-%m-%d) on $(nproc) cores, $CLUSTERS Ravel cluster(s) x 3 replicas, $ADMINS admin(s), parts: $PARTS"
    if has load; then
        echo
        echo "Load: $KEYS keys, ${DURATION}s per run after ${WARMUP}s warm-ups; $ROUNDS round(s), each starting"
        echo "one system afresh (Ravel, then etcd); the figures are each system's median over the rounds, the"
        echo "last column the median of the per-round Ravel/etcd ratios (round i of Ravel over round i of etcd)."
        echo
        echo "| figure | Ravel (median) | etcd (median) | Ravel/etcd (median of per-round ratios) |"
        echo "|---|---:|---:|---:|"
        for op in "${OPS[@]}"; do
            for c in "${CONNECTIONS[@]}"; do
                r="ravel|$op|$c"; e="etcd|$op|$c"
                local label=$op; [ "$op" = get ] && label="get (etcd range)"
                [ "$op" = batch ] && label="batch of 100 puts (etcd txn)"
                echo "| $label, $c conn: req/s | ${RPS[$r]:--} | ${RPS[$e]:--} | $(round_ratio "${RPS_R[$r]:-}" "${RPS_R[$e]:-}") |"
                echo "| $label, $c conn: p50 ms | $( [ -n "${P50[$r]:-}" ] && ms "${P50[$r]}" || echo -) | $( [ -n "${P50[$e]:-}" ] && ms "${P50[$e]}" || echo -) | $(round_ratio "${P50_R[$r]:-}" "${P50_R[$e]:-}") |"
                echo "| $label, $c conn: p99 ms | $( [ -n "${P99[$r]:-}" ] && ms "${P99[$r]}" || echo -) | $( [ -n "${P99[$e]:-}" ] && ms "${P99[$e]}" || echo -) | $(round_ratio "${P99_R[$r]:-}" "${P99_R[$e]:-}") |"
            done
        done
        local errs=""
        for k in "${!ERRS[@]}"; do [ "${ERRS[$k]}" != 0 ] && errs+=" $k:${ERRS[$k]}"; done
        echo
        echo "Failed requests (non-2xx, socket errors, timeouts):${errs:- none}"
        echo "req/s counts successful requests only; a ratio above 1 is better for req/s, below 1 better for latency."
        echo "A batch request writes 100 keys: its req/s times 100 is keys written per second."
        if [ "$ROUNDS" -gt 1 ]; then
            echo
            echo "req/s of every round (Ravel / etcd):"
            for op in "${OPS[@]}"; do
                for c in "${CONNECTIONS[@]}"; do
                    echo "- $op, $c conn: ${RPS_R[ravel|$op|$c]:- -} / ${RPS_R[etcd|$op|$c]:- -}"
                done
            done
        fi
    fi
    if has idle || has failover || has admin-failover; then
        echo
        echo "Rounds alternate (Ravel, etcd, Ravel, etcd, ...) with both systems up; the last column is the"
        echo "median of the per-round ratios (round i of Ravel over round i of etcd)."
        echo
        echo "| figure | Ravel (median) | etcd (median) | Ravel/etcd (median of per-round ratios) |"
        echo "|---|---:|---:|---:|"
        if has idle; then
            echo "| idle CPU of the whole system, cores (${IDLE_SECS} s, every process; $ROUNDS round(s)) | ${IDLE_TOTAL[ravel]:--} | ${IDLE_TOTAL[etcd]:--} | $(round_ratio "${IDLE_VALUES[ravel]:-}" "${IDLE_VALUES[etcd]:-}") |"
            echo "| idle CPU, every round, cores | ${IDLE_VALUES[ravel]:--} | ${IDLE_VALUES[etcd]:--} | |"
        fi
        if has failover; then
            gap_rows "leader failover" ravel etcd
        fi
        if has admin-failover; then
            gap_rows "admin leader failover ($ADMINS admins; etcd: its leader)" ravel-admin etcd-b
        fi
        echo
        for sys in ravel etcd; do
            if [ -n "${IDLE_DETAIL[$sys]:-}" ]; then echo "Idle CPU of $sys per process (cores): ${IDLE_DETAIL[$sys]}"; fi
        done
        for sys in ravel etcd ravel-admin etcd-b; do
            if [ -n "${READBACK[$sys]:-}" ]; then echo "Acknowledged puts read back after each $sys failover: ${READBACK[$sys]}"; fi
        done
    fi
    if has relocation; then reloc_report; fi
    if has scale; then scale_report; fi
    if [ ${#MEM_ORDER[@]} -gt 0 ]; then
        echo
        echo "Memory of every process (/proc/PID/status; a restarted process: the peak over its lives, the RSS of the last):"
        echo
        echo "| system | process | VmRSS at the end (MiB) | VmHWM, peak over the run (MiB) |"
        echo "|---|---|---:|---:|"
        for k in "${MEM_ORDER[@]}"; do
            echo "| ${k%%|*} | ${k#*|} | $((RSS_KB[$k] / 1024)) | $((HWM_KB[$k] / 1024)) |"
        done
    fi
    echo
    echo "Ravel: ${RAVEL_FROM:-not run}; etcd: ${ETCD_FROM:-not run}; $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); $(java -version 2>&1 | head -1)"
    echo "wrk, the daemons and the script share this machine's $(nproc) cores (load average before the run: $LOAD_BEFORE);"
    if shared_parts; then echo "CPU per process in each run: $RESULTS/cpu.txt; idle: $RESULTS/idle.txt; failovers: $RESULTS/failover.txt"; fi
    if has scale; then echo "Scale: every process's log and the raw figures in $RESULTS/scale-*"; fi
}

# shellcheck source=bench/relocation.sh
. "$BENCH_DIR/relocation.sh"
# shellcheck source=bench/scale.sh
. "$BENCH_DIR/scale.sh"

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
say "results in $RESULTS; load average before the run: $LOAD_BEFORE"
run_bench
report | tee "$RESULTS/summary.md"
