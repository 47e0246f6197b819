# The relocation part of bench/run.sh (--parts relocation), sourced by it; Ravel only (etcd has no
# such figure). On a fresh system of its own (one admin, fresh temp dirs, free 127.0.0.1 ports):
#   1. the first cluster joins the empty system: its leader's process start to the admin's answer
#      (GET /clusters) that the cluster owns every partition;
#   2. a second cluster joins the system while it holds no key: the relocation of empty partitions;
#   3. RELOC_KEYS keys of RELOC_VALUE_BYTES-character values are written (POST /batch), then a third
#      cluster joins: the relocation of a third of the data.
# Each cluster is started as the README does it: a leader (-l=true), then two replicas, which the
# admin places in the new cluster. A relocation's time is the admin's own (its log: from "joins the
# ring" to "relocation finished"); keys and partitions moved come from GET /clusters. Every process
# of the part is stopped by PID when it is done. After the third join the /metrics pages of that
# cluster's replicas are kept as reloc-metrics-<replica>.txt (Raft log writes, applies, WriteBatch
# sizes and times of the move).

RELOC_ADMIN_HTTP=""
RELOC_ADMIN_GRPC=""
RELOC_ADMIN_LOG=""
RELOC_PIDS=()
declare -A RELOC=()   # figure -> value, for the report
declare -A RELOC_METRICS=()   # replica name -> its --metrics address

reloc_node() { # name leader(0|1): starts one replica of the relocation system, waits until ready
    local name=$1 leader=$2 g r m
    local -a args
    read -r g r m <<<"$(free_ports 3)"
    args=(start -s="$WORK/reloc/$name" -r="127.0.0.1:$r" -g="127.0.0.1:$g" -a="$RELOC_ADMIN_GRPC"
        --metrics="127.0.0.1:$m")
    RELOC_METRICS[$name]="127.0.0.1:$m"
    [ "$leader" = 1 ] && args+=(-l=true)
    start_bg "reloc-$name" "$RESULTS/reloc-$name.log" "${NODE_CMD[@]}" "${args[@]}"
    RELOC_PIDS+=("$LAST_PID")
    wait_for_line "$LAST_PID" "$RESULTS/reloc-$name.log" '^ravel_node ready ' 120 >/dev/null
}

reloc_cluster() { # index: leader, then two replicas (placed by the admin in the newest cluster)
    reloc_node "c$1-leader" 1
    reloc_node "c$1-replica1" 0
    reloc_node "c$1-replica2" 0
}

reloc_join() { # index label: starts cluster "index" and records the figures of its relocation
    local c=$1 label=$2 from_line t0 t_ready t_done span moved total keys waiter
    from_line=$(wc -l <"$RESULTS/reloc-admin.log")
    t0=$(date +%s.%N)
    python3 "$BENCH_DIR/relocation.py" wait "http://$RELOC_ADMIN_HTTP" "$c" 600 >"$RESULTS/reloc-wait$c.txt" &
    waiter=$!
    STARTED+=("$waiter")
    reloc_node "c$c-leader" 1
    t_ready=$(date +%s.%N)
    reloc_node "c$c-replica1" 0
    reloc_node "c$c-replica2" 0
    wait "$waiter" || die "relocation: cluster $c did not get its partitions within 600 s"
    read -r _ t_done moved total keys <"$RESULTS/reloc-wait$c.txt"
    RELOC[$label-start-s]=$(awk -v a="$t0" -v b="$t_ready" 'BEGIN { printf "%.2f", b - a }')
    RELOC[$label-done-s]=$(awk -v a="$t0" -v b="$t_done" 'BEGIN { printf "%.2f", b - a }')
    if [ "$c" -gt 1 ]; then
        span=$(python3 "$BENCH_DIR/relocation.py" span "$RESULTS/reloc-admin.log" "$from_line") || span=""
        RELOC[$label-span-s]=$span
        RELOC[$label-partitions]=$total
        RELOC[$label-keys]=$keys
        RELOC[$label-ms-per-partition]=$(awk -v s="$span" -v n="$total" 'BEGIN { if (n > 0 && s != "") printf "%.1f", s * 1000 / n; else print "-" }')
        RELOC[$label-keys-per-s]=$(awk -v s="$span" -v k="$keys" 'BEGIN { if (s > 0) printf "%.0f", k / s; else print "-" }')
        # a moved entry is its key (9 bytes) and its value
        RELOC[$label-mb-per-s]=$(awk -v s="$span" -v k="$keys" -v b="$RELOC_VALUE_BYTES" 'BEGIN { if (s > 0) printf "%.1f", k * (b + 9) / s / 1e6; else print "-" }')
        say "relocation: cluster $c joined ($label): $total partitions, $keys keys moved in $span s" \
            "(${RELOC[$label-ms-per-partition]} ms per partition, ${RELOC[$label-keys-per-s]} keys/s," \
            "${RELOC[$label-mb-per-s]} MB/s); leader start to done ${RELOC[$label-done-s]} s"
    else
        say "relocation: cluster 1 joined the empty system: leader started and ready in ${RELOC[$label-start-s]} s," \
            "owns every partition ${RELOC[$label-done-s]} s after its start"
    fi
}

ravel_relocation() {
    [ -n "${NODE_CMD+x}" ] || ravel_commands
    say "relocation: a fresh Ravel system ($RAVEL_FROM)"
    local http grpc pid
    read -r http grpc <<<"$(free_ports 2)"
    RELOC_ADMIN_HTTP="127.0.0.1:$http"
    RELOC_ADMIN_GRPC="127.0.0.1:$grpc"
    mkdir -p "$WORK/reloc"
    start_bg reloc-admin "$RESULTS/reloc-admin.log" "${ADMIN_CMD[@]}" --http="$RELOC_ADMIN_HTTP" \
        --grpc="$RELOC_ADMIN_GRPC" --backupPath="$WORK/reloc/admin"
    RELOC_PIDS+=("$LAST_PID")
    wait_for_line "$LAST_PID" "$RESULTS/reloc-admin.log" '^ravel_cluster_admin ready ' 60 >/dev/null
    reloc_join 1 first
    reloc_join 2 empty
    say "relocation: writing $RELOC_KEYS keys of $RELOC_VALUE_BYTES bytes"
    python3 "$BENCH_DIR/relocation.py" fill "http://$RELOC_ADMIN_HTTP" "$RELOC_KEYS" "$RELOC_VALUE_BYTES" 8 \
        | tee "$RESULTS/reloc-fill.txt" | grep -q '^filled ' || die "relocation: the fill failed; see $RESULTS/reloc-fill.txt"
    say "relocation: $(cat "$RESULTS/reloc-fill.txt")"
    reloc_join 3 data
    # what the target's replicas did during the move: log writes, applies, WriteBatch sizes, gRPC times
    for name in c3-leader c3-replica1 c3-replica2; do
        curl -s "http://${RELOC_METRICS[$name]}/metrics" >"$RESULTS/reloc-metrics-$name.txt" || true
    done
    RELOC[check]=$(python3 "$BENCH_DIR/relocation.py" check "http://$RELOC_ADMIN_HTTP" "$RELOC_KEYS" \
        "$RELOC_VALUE_BYTES" 2000) || die "relocation: keys read back wrong after the move: ${RELOC[check]}"
    say "relocation: read back after the move: ${RELOC[check]}"
    for ((pid = ${#RELOC_PIDS[@]} - 1; pid >= 0; pid--)); do stop_pid "${RELOC_PIDS[$pid]}"; done
    RELOC_PIDS=()
    rm -rf "$WORK/reloc"
}

reloc_report() {
    echo
    echo "Relocation (a fresh system: 1 admin, clusters of 3 replicas started as the README does; $RELOC_KEYS keys"
    echo "of $RELOC_VALUE_BYTES-byte values before the third cluster joins; times of a relocation from the admin's log):"
    echo
    echo "| figure | value |"
    echo "|---|---:|"
    echo "| first cluster joins the empty system: leader process start to ready, s | ${RELOC[first-start-s]:--} |"
    echo "| first cluster joins the empty system: leader process start to owning every partition, s | ${RELOC[first-done-s]:--} |"
    echo "| second cluster joins a system without keys: relocation, s (${RELOC[empty-partitions]:--} partitions) | ${RELOC[empty-span-s]:--} |"
    echo "| second cluster: time per empty partition, ms | ${RELOC[empty-ms-per-partition]:--} |"
    echo "| second cluster: leader process start to relocation finished, s | ${RELOC[empty-done-s]:--} |"
    echo "| third cluster joins ($RELOC_KEYS keys): relocation, s (${RELOC[data-partitions]:--} partitions, ${RELOC[data-keys]:--} keys) | ${RELOC[data-span-s]:--} |"
    echo "| third cluster: MB/s (key + value bytes moved / relocation time) | ${RELOC[data-mb-per-s]:--} |"
    echo "| third cluster: keys/s | ${RELOC[data-keys-per-s]:--} |"
    echo "| third cluster: time per partition, ms | ${RELOC[data-ms-per-partition]:--} |"
    echo "| third cluster: leader process start to relocation finished, s | ${RELOC[data-done-s]:--} |"
    echo
    echo "Keys read back after the third cluster's relocation: ${RELOC[check]:--}"
}
