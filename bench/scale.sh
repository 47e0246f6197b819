# The scale part of bench/run.sh (--parts scale), sourced by it; Ravel only. For each key count N of
# --scale-keys, on a fresh system of its own (one admin, one cluster of 3 replicas started as the
# README does it: a leader with -l=true, then two replicas; fresh temp dirs, free 127.0.0.1 ports;
# every replica with --metrics and a YAML file that takes a snapshot every SCALE_SNAPSHOT_SECS):
#   1. fill: N keys of 100-character values through POST /batch (100 puts a request, 8 writers);
#   2. disk: once every replica's latest snapshot (raft/snapshot/snapshot_<index>) covers its commit
#      index at the end of the fill, du -sb of each storage dir and of
#      its data/ (RocksDB), raft/snapshot and raft/log;
#   3. catch-up: a follower is stopped (SIGTERM), N/10 more keys are written in two halves, each
#      followed by a snapshot of the leader (SOFAJRaft truncates its log up to the snapshot before the
#      latest, so after the second one the entries the follower misses are gone), then the follower is
#      started again with the same command line and storage dir; the time from its start until its
#      applied index (its metrics) reaches the leader's commit index read before the start, and
#      whether it loaded a snapshot from the leader (its log: "loaded snapshot at index I" with I past
#      the index it had applied when it stopped);
#   4. restart: the three replicas stopped (SIGTERM), started again together on their dirs; the time
#      from the starts to each "ravel_node ready" line and to the first POST /batch through the admin
#      that reads 5 known keys back with their values;
#   5. relocation: a second cluster (leader + 2 replicas) joins; the relocation's time is the admin's
#      own (its log, as in relocation.sh), keys moved from GET /clusters;
#   6. 100 random keys read back with their values (a wrong one stops the bench).
# Every process of one N is stopped by PID and its dirs removed before the next N.

SCALE_SNAPSHOT_SECS=10
SCALE_VALUE_BYTES=100
SCALE_WRITERS=8
SCALE_ADMIN_HTTP=""
SCALE_ADMIN_GRPC=""
SCALE_PIDS=()
declare -A SCALE=()          # "N|figure" -> value, for the report
declare -A SCALE_ARGS=()     # replica name -> its command line (printf %q)
declare -A SCALE_PID=()      # replica name -> PID of its current life
declare -A SCALE_METRICS=()  # replica name -> host:port of its GET /metrics
declare -A SCALE_LIFE=()     # replica name -> starts so far (each life logs to its own file)

scale_log() { echo "$RESULTS/scale-$SCALE_N-$1.log${SCALE_LIFE[$1]:+.${SCALE_LIFE[$1]}}"; }

scale_launch() { # name: starts replica "name" with SCALE_ARGS[name] (does not wait)
    local name=$1
    local -a cmd
    eval "cmd=(${SCALE_ARGS[$name]})"
    if [ -n "${SCALE_LIFE[$name]+x}" ]; then SCALE_LIFE[$name]=$((SCALE_LIFE[$name] + 1)); else SCALE_LIFE[$name]=""; fi
    start_bg "scale-$name" "$(scale_log "$name")" "${cmd[@]}"
    SCALE_PID[$name]=$LAST_PID
    SCALE_PIDS+=("$LAST_PID")
}

scale_ready() { # name: waits for the ready line of the replica's current life
    wait_for_line "${SCALE_PID[$1]}" "$(scale_log "$1")" '^ravel_node ready ' 300 >/dev/null \
        || die "scale ($SCALE_N keys): replica $1 not ready"
}

scale_node() { # name leader(0|1): a new replica with a fresh storage dir, waits until ready
    local name=$1 leader=$2 g r m
    local -a args
    read -r g r m <<<"$(free_ports 3)"
    args=(start -s="$WORK/scale/$name" -r="127.0.0.1:$r" -g="127.0.0.1:$g" -a="$SCALE_ADMIN_GRPC"
        --metrics="127.0.0.1:$m" -y="$WORK/scale/replica.yaml")
    [ "$leader" = 1 ] && args+=(-l=true)
    SCALE_ARGS[$name]=$(printf '%q ' "${NODE_CMD[@]}" "${args[@]}")
    SCALE_METRICS[$name]="127.0.0.1:$m"
    scale_launch "$name"
    scale_ready "$name"
}

scale_metrics() { python3 "$BENCH_DIR/scale.py" metrics "${SCALE_METRICS[$1]}" || true; } # name: "role applied commit saved installed"

SCALE_RATE=""
scale_fill() { # from to tag label: writes keys from .. to-1; SCALE_RATE is its keys/s
    local out="$RESULTS/scale-$SCALE_N-fill-$3.txt"
    python3 "$BENCH_DIR/scale.py" fill "http://$SCALE_ADMIN_HTTP" "$1" "$2" $SCALE_VALUE_BYTES $SCALE_WRITERS \
        >"$out" || die "scale ($SCALE_N keys): the fill ($4) failed: $(cat "$out")"
    say "scale ($SCALE_N keys): $4: $(cat "$out")"
    SCALE_RATE=$(sed -n 's/.*: \([0-9]*\) keys\/s$/\1/p' "$out")
}

scale_snap_index() { # name: the last index of the replica's latest snapshot (its raft/snapshot/snapshot_<index> dir), 0 if none
    local d i=0 x
    for d in "$WORK/scale/$1/raft/snapshot"/snapshot_*; do
        x=${d##*_}
        [[ "$x" =~ ^[0-9]+$ ]] && [ "$x" -gt "$i" ] && i=$x
    done
    echo "$i"
}

scale_snapshot() { # name index: waits until the replica's latest snapshot covers the log up to index
    local i
    for ((i = 0; i < SCALE_SNAPSHOT_SECS * 30; i++)); do
        [ "$(scale_snap_index "$1")" -ge "$2" ] && return 0
        sleep 0.2
    done
    die "scale ($SCALE_N keys): replica $1 has no snapshot up to index $2 after $((SCALE_SNAPSHOT_SECS * 6)) s (latest: $(scale_snap_index "$1"))"
}

scale_commit() { local commit; read -r _ _ commit _ <<<"$(scale_metrics "$1")"; echo "$commit"; } # name: its commit index

scale_since() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

scale_du() { du -sb "$1" 2>/dev/null | cut -f1 || echo 0; }

scale_round() { # N: one fresh system, every figure of N keys, then everything stopped and removed
    local n=$SCALE_N http grpc name leader="" follower="" t0 t1 line rate applied commit extra half
    local total=0 data=0 snap=0 log=0 pid from_line waiter moved keys span ready_max=0 t_read
    local -a names=(leader replica1 replica2)
    local -A saved=()
    SCALE_PIDS=(); SCALE_ARGS=(); SCALE_PID=(); SCALE_METRICS=(); SCALE_LIFE=()
    say "scale: $n keys, a fresh Ravel system ($RAVEL_FROM)"
    read -r http grpc <<<"$(free_ports 2)"
    SCALE_ADMIN_HTTP="127.0.0.1:$http"
    SCALE_ADMIN_GRPC="127.0.0.1:$grpc"
    mkdir -p "$WORK/scale"
    printf 'snapshotIntervalSecs: %d\n' $SCALE_SNAPSHOT_SECS >"$WORK/scale/replica.yaml"
    start_bg scale-admin "$RESULTS/scale-$n-admin.log" "${ADMIN_CMD[@]}" --http="$SCALE_ADMIN_HTTP" \
        --grpc="$SCALE_ADMIN_GRPC" --backupPath="$WORK/scale/admin"
    SCALE_PIDS+=("$LAST_PID")
    wait_for_line "$LAST_PID" "$RESULTS/scale-$n-admin.log" '^ravel_cluster_admin ready ' 60 >/dev/null \
        || die "scale ($n keys): the admin did not start"
    for name in "${names[@]}"; do scale_node "$name" "$([ "$name" = leader ] && echo 1 || echo 0)"; done
    python3 "$BENCH_DIR/relocation.py" wait "http://$SCALE_ADMIN_HTTP" 1 120 >/dev/null \
        || die "scale ($n keys): the cluster does not own the partitions after 120 s"

    # 1. fill
    scale_fill 0 "$n" main "fill of $n keys"
    SCALE[$n|fill-keys-per-s]=$SCALE_RATE

    # 2. disk, once every replica has snapshotted after the fill
    for name in "${names[@]}"; do saved[$name]=$(scale_commit "$name"); done
    for name in "${names[@]}"; do scale_snapshot "$name" "${saved[$name]}"; done
    for name in "${names[@]}"; do
        total=$((total + $(scale_du "$WORK/scale/$name")))
        data=$((data + $(scale_du "$WORK/scale/$name/data")))
        snap=$((snap + $(scale_du "$WORK/scale/$name/raft/snapshot")))
        log=$((log + $(scale_du "$WORK/scale/$name/raft/log")))
    done
    SCALE[$n|disk-mb]=$(awk -v b=$total 'BEGIN { printf "%.1f", b / 3 / 1e6 }')
    SCALE[$n|disk-data-mb]=$(awk -v b=$data 'BEGIN { printf "%.1f", b / 3 / 1e6 }')
    SCALE[$n|disk-snapshot-mb]=$(awk -v b=$snap 'BEGIN { printf "%.1f", b / 3 / 1e6 }')
    SCALE[$n|disk-log-mb]=$(awk -v b=$log 'BEGIN { printf "%.1f", b / 3 / 1e6 }')
    SCALE[$n|disk-bytes-per-key]=$(awk -v b=$total -v n="$n" 'BEGIN { printf "%.0f", b / 3 / n }')
    say "scale ($n keys): storage dir per replica ${SCALE[$n|disk-mb]} MB (data ${SCALE[$n|disk-data-mb]}," \
        "raft/snapshot ${SCALE[$n|disk-snapshot-mb]}, raft/log ${SCALE[$n|disk-log-mb]}), ${SCALE[$n|disk-bytes-per-key]} bytes per key"

    # 3. a follower away while N/10 keys are written and the leader's log is truncated past it
    for name in "${names[@]}"; do
        read -r line _ <<<"$(scale_metrics "$name")"
        if [ "$line" = leader ]; then leader=$name; elif [ -z "$follower" ]; then follower=$name; fi
    done
    [ -n "$leader" ] && [ -n "$follower" ] || die "scale ($n keys): no leader and follower in the replicas' metrics"
    read -r _ applied _ <<<"$(scale_metrics "$follower")"
    stop_pid "${SCALE_PID[$follower]}"
    extra=$((n / 10)); half=$((n + extra / 2))
    scale_fill "$n" "$half" away1 "follower $follower away, first half of $extra keys"
    scale_snapshot "$leader" "$(scale_commit "$leader")"
    scale_fill "$half" $((n + extra)) away2 "follower $follower away, second half"
    scale_snapshot "$leader" "$(scale_commit "$leader")"
    read -r _ _ commit _ <<<"$(scale_metrics "$leader")"
    t0=$(date +%s.%N)
    scale_launch "$follower"
    python3 "$BENCH_DIR/scale.py" caughtup "${SCALE_METRICS[$follower]}" "$commit" 600 "$(scale_log "$follower")" \
        >"$RESULTS/scale-$n-caughtup.txt" \
        || die "scale ($n keys): follower $follower did not catch up within 600 s: $(cat "$RESULTS/scale-$n-caughtup.txt")"
    read -r _ t1 _ line <"$RESULTS/scale-$n-caughtup.txt"
    scale_ready "$follower"
    # caught up before its ready line (which comes once the replica's start returned): seen now
    [ "$line" != - ] || line=$(date +%s.%N)
    SCALE[$n|catchup-s]=$(scale_since "$t0" "$t1")
    SCALE[$n|catchup-ready-s]=$(scale_since "$t0" "$line")
    # a snapshot past what the follower had applied when it stopped came from the leader
    SCALE[$n|catchup-snapshot]=no
    if awk -v a="$applied" '/loaded snapshot at index/ { for (i = 1; i < NF; i++) if ($i == "index" && $(i + 1) + 0 > a + 0) f = 1 } END { exit !f }' \
        "$(scale_log "$follower")"; then SCALE[$n|catchup-snapshot]=yes; fi
    say "scale ($n keys): follower $follower away for $extra keys (applied $applied when stopped) caught up to" \
        "index $commit in ${SCALE[$n|catchup-s]} s (ready line: ${SCALE[$n|catchup-ready-s]}); snapshot installed: ${SCALE[$n|catchup-snapshot]}"

    # 4. the whole cluster stopped and started again
    for name in replica2 replica1 leader; do stop_pid "${SCALE_PID[$name]}"; done
    t0=$(date +%s.%N)
    python3 "$BENCH_DIR/scale.py" readable "http://$SCALE_ADMIN_HTTP" "$n" $SCALE_VALUE_BYTES 5 600 \
        >"$RESULTS/scale-$n-readable.txt" &
    waiter=$!
    STARTED+=("$waiter")
    for name in "${names[@]}"; do scale_launch "$name"; done
    declare -A seen=()
    while [ ${#seen[@]} -lt 3 ]; do
        for name in "${names[@]}"; do
            [ -n "${seen[$name]:-}" ] && continue
            if grep -q '^ravel_node ready ' "$(scale_log "$name")" 2>/dev/null; then
                seen[$name]=$(scale_since "$t0" "$(date +%s.%N)")
            elif ! kill -0 "${SCALE_PID[$name]}" 2>/dev/null; then
                tail -20 "$(scale_log "$name")" >&2
                die "scale ($n keys): replica $name exited during the restart"
            fi
        done
        [ "$(scale_since "$t0" "$(date +%s.%N)" | cut -d. -f1)" -lt 300 ] || die "scale ($n keys): not every replica ready 300 s after the restart"
        sleep 0.05
    done
    wait "$waiter" || die "scale ($n keys): the admin read no key right within 600 s of the restart: $(cat "$RESULTS/scale-$n-readable.txt")"
    read -r _ t_read <"$RESULTS/scale-$n-readable.txt"
    for name in "${names[@]}"; do ready_max=$(awk -v a="$ready_max" -v b="${seen[$name]}" 'BEGIN { print (b > a ? b : a) }'); done
    SCALE[$n|restart-ready-s]="${seen[leader]} / ${seen[replica1]} / ${seen[replica2]}"
    SCALE[$n|restart-ready-max-s]=$ready_max
    SCALE[$n|restart-read-s]=$(scale_since "$t0" "$t_read")
    unset seen
    say "scale ($n keys): restart of the 3 replicas: ready after ${SCALE[$n|restart-ready-s]} s (leader / replica1 / replica2)," \
        "keys read right through the admin after ${SCALE[$n|restart-read-s]} s"

    # 5. a second cluster joins
    from_line=$(wc -l <"$RESULTS/scale-$n-admin.log")
    python3 "$BENCH_DIR/relocation.py" wait "http://$SCALE_ADMIN_HTTP" 2 900 >"$RESULTS/scale-$n-reloc-wait.txt" &
    waiter=$!
    STARTED+=("$waiter")
    t0=$(date +%s.%N)
    scale_node c2-leader 1
    scale_node c2-replica1 0
    scale_node c2-replica2 0
    wait "$waiter" || die "scale ($n keys): the second cluster did not get its partitions within 900 s"
    read -r _ t1 _ _ keys <"$RESULTS/scale-$n-reloc-wait.txt"
    span=$(python3 "$BENCH_DIR/relocation.py" span "$RESULTS/scale-$n-admin.log" "$from_line") || span=""
    SCALE[$n|reloc-s]=${span:--}
    SCALE[$n|reloc-done-s]=$(scale_since "$t0" "$t1")
    SCALE[$n|reloc-keys]=$keys
    # a moved entry is its key (9 bytes) and its value
    SCALE[$n|reloc-mb-per-s]=$(awk -v s="$span" -v k="$keys" -v b=$SCALE_VALUE_BYTES 'BEGIN { if (s > 0) printf "%.2f", k * (b + 9) / s / 1e6; else print "-" }')
    say "scale ($n keys): second cluster: $keys keys moved in ${SCALE[$n|reloc-s]} s (${SCALE[$n|reloc-mb-per-s]} MB/s);" \
        "leader start to relocation finished ${SCALE[$n|reloc-done-s]} s"

    # 6. read back
    SCALE[$n|check]=$(python3 "$BENCH_DIR/scale.py" check "http://$SCALE_ADMIN_HTTP" $((n + extra)) $SCALE_VALUE_BYTES 100) \
        || die "scale ($n keys): keys read back wrong: ${SCALE[$n|check]}"
    say "scale ($n keys): read back: ${SCALE[$n|check]}"
    for ((pid = ${#SCALE_PIDS[@]} - 1; pid >= 0; pid--)); do stop_pid "${SCALE_PIDS[$pid]}"; done
    SCALE_PIDS=()
    rm -rf "$WORK/scale" "$WORK"/cwd/scale-*
}

ravel_scale() {
    [ -n "${NODE_CMD+x}" ] || ravel_commands
    for SCALE_N in "${SCALE_NS[@]}"; do scale_round; done
}

scale_report() {
    local n row
    row() { # label key: one row, a column per N
        local out="| $1 |" n
        for n in "${SCALE_NS[@]}"; do out+=" ${SCALE[$n|$2]:--} |"; done
        echo "$out"
    }
    echo
    echo "Scale (for each key count a fresh system: 1 admin, 1 cluster of 3 replicas, a snapshot every"
    echo "$SCALE_SNAPSHOT_SECS s; $SCALE_VALUE_BYTES-byte values; disk: du -sb after a snapshot, mean of the 3 replicas;"
    echo "data/ and raft/snapshot share hard-linked files, so they may add up to more than the dir):"
    echo
    local head="| figure |" sep="|---|"
    for n in "${SCALE_NS[@]}"; do head+=" $n keys |"; sep+="---:|"; done
    echo "$head"
    echo "$sep"
    row "fill: keys/s (POST /batch of 100 puts, $SCALE_WRITERS writers)" fill-keys-per-s
    row "disk: storage dir per replica, MB" disk-mb
    row "disk: of which data/ (RocksDB), MB" disk-data-mb
    row "disk: of which raft/snapshot, MB" disk-snapshot-mb
    row "disk: of which raft/log, MB" disk-log-mb
    row "disk: bytes per key (storage dir / keys)" disk-bytes-per-key
    row "follower away for keys/10 writes: start to caught up, s" catchup-s
    row "follower: its start to its ready line, s" catchup-ready-s
    row "follower: snapshot installed from the leader" catchup-snapshot
    row "restart of the 3 replicas: to ready lines, s (leader / replica1 / replica2)" restart-ready-s
    row "restart: to the last ready line, s" restart-ready-max-s
    row "restart: to 5 keys read right through the admin, s" restart-read-s
    row "second cluster joins: relocation, s (admin's log)" reloc-s
    row "second cluster: keys moved" reloc-keys
    row "second cluster: MB/s (key + value bytes moved / relocation time)" reloc-mb-per-s
    row "second cluster: leader process start to relocation finished, s" reloc-done-s
    row "100 random keys read back at the end" check
}
