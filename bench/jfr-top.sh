#!/usr/bin/env bash
# Where a JVM spent its time, from a JFR recording (bench/run.sh --profile makes them):
#
#   bench/jfr-top.sh FILE.jfr [N]
#
# Prints, for the CPU samples (jdk.ExecutionSample): the top N frames (self time), the top N
# packages of those frames, the top N "first non-JDK frames" (JDK time charged to the library or
# Ravel code that called it), the busiest threads (digits folded: pool-3-thread-7 -> pool-#-thread-#);
# then the top frames of threads sitting in native code (jdk.NativeMethodSample: fsync, RocksDB,
# epoll), monitor contention, and the garbage collector's pauses. N defaults to 20.
set -euo pipefail

[ $# -ge 1 ] && [ -f "$1" ] || { echo "usage: $0 FILE.jfr [N]" >&2; exit 1; }
file=$1
top=${2:-20}

# One line per sample: thread<TAB>frame1<TAB>frame2... (frames without line numbers, top first)
samples() { # event type
    jfr print --stack-depth 64 --events "$1" "$file" | awk '
        /^[a-z]+\.[A-Za-z]+ \{/ { thread = ""; n = 0; inside = 0; next }
        /^  (sampledThread|eventThread) = / {
            t = $0; sub(/^[^"]*"/, "", t); sub(/" \(.*$/, "", t); thread = t; next }
        /^  stackTrace = \[/ { inside = 1; next }
        inside && /^  \]/ { inside = 0; next }
        inside {
            f = $0; sub(/^ +/, "", f); sub(/ +line: .*$/, "", f); sub(/\(.*$/, "", f)
            if (f != "...") frames[++n] = f
            next }
        /^\}/ {
            if (n > 0) {
                line = thread
                for (i = 1; i <= n; i++) line = line "\t" frames[i]
                print line
            }
            thread = ""; n = 0 }'
}

count_top() { # reads lines, prints "count  share  line" for the top N
    sort | uniq -c | sort -rn | awk -v top="$top" -v total="$1" \
        'NR <= top { c = $1; $1 = ""; printf "%7d %5.1f%% %s\n", c, 100 * c / total, substr($0, 2) }'
}

is_jdk='^(java\.|javax\.|jdk\.|sun\.|com\.sun\.)'

cpu=$(mktemp)
native=$(mktemp)
trap 'rm -f "$cpu" "$native"' EXIT
samples jdk.ExecutionSample >"$cpu"
samples jdk.NativeMethodSample >"$native"
total=$(wc -l <"$cpu")

echo "== $file"
echo "CPU samples (jdk.ExecutionSample): $total"
if [ "$total" -gt 0 ]; then
    echo
    echo "-- top frames (self)"
    cut -f2 "$cpu" | count_top "$total"
    echo
    echo "-- top packages of the top frame"
    cut -f2 "$cpu" | awk -F. '{ p = $1; for (i = 2; i <= 3 && i < NF - 1; i++) p = p "." $i; print p }' | count_top "$total"
    echo
    echo "-- first non-JDK frame (JDK time charged to its caller)"
    awk -F'\t' -v re="$is_jdk" '{ f = "(JDK only)"; for (i = 2; i <= NF; i++) if ($i !~ re) { f = $i; break } print f }' "$cpu" \
        | count_top "$total"
    echo
    echo "-- first Ravel frame (io.ravel.*) on the stack"
    awk -F'\t' '{ f = "(no Ravel frame)"; for (i = 2; i <= NF; i++) if ($i ~ /^io\.ravel\./) { f = $i; break } print f }' "$cpu" \
        | count_top "$total"
    echo
    echo "-- threads"
    cut -f1 "$cpu" | sed 's/[0-9][0-9]*/#/g' | count_top "$total"
fi
ntotal=$(wc -l <"$native")
echo
echo "-- threads in native code (jdk.NativeMethodSample, $ntotal samples): top frame <- first non-JDK caller"
if [ "$ntotal" -gt 0 ]; then
    awk -F'\t' -v re="$is_jdk" '{ f = ""; for (i = 3; i <= NF; i++) if ($i !~ re) { f = $i; break } print $2 " <- " f }' "$native" \
        | count_top "$ntotal"
fi
echo
echo "-- monitor contention (jdk.JavaMonitorEnter over 20 ms): first non-JDK frame"
jfr print --stack-depth 16 --events jdk.JavaMonitorEnter "$file" | awk '
    /^jdk\.JavaMonitorEnter/ { inside = 0; done = 0; next }
    /^  stackTrace = \[/ { inside = 1; next }
    inside && /^  \]/ { inside = 0; next }
    inside && !done { f = $0; sub(/^ +/, "", f); sub(/ +line: .*$/, "", f); sub(/\(.*$/, "", f)
        if (f !~ /^(java\.|jdk\.|sun\.)/) { print f; done = 1 } }' | sort | uniq -c | sort -rn | head -"$top"
echo
echo "-- garbage collection"
jfr print --events jdk.GarbageCollection "$file" | awk '
    /sumOfPauses = / { v = $3; u = $4; ms = (u ~ /^s/) ? v * 1000 : (u ~ /^us/) ? v / 1000 : v; n++; sum += ms; if (ms > max) max = ms }
    END { printf "%d collections, pauses %.0f ms in total, longest %.1f ms\n", n, sum, max }'
