#!/usr/bin/env bash
# The long run of the robustness scenarios (ravel-robustness): every scenario runs for --duration
# seconds, its fault injected, held, healed and injected again until then, under concurrent clients
# whose history is checked for linearizability. The seed drives the clients and the faults' targets;
# it is printed first, so a failing run can be replayed with the same --seed.
#
#   scripts/robustness-long.sh [--duration SECONDS] [--seed N]     (defaults: 300, a random seed)
#
# Network-partition and full-disk scenarios need root; without it they are skipped with a message.
# Figures of each scenario: ravel-robustness/target/robustness/report.txt; histories: .../histories/.
set -euo pipefail

duration=300
seed=""
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="${2:?--duration needs a number of seconds}"; shift 2 ;;
    --duration=*) duration="${1#*=}"; shift ;;
    --seed) seed="${2:?--seed needs a number}"; shift 2 ;;
    --seed=*) seed="${1#*=}"; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "robustness-long.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$duration" in ''|*[!0-9]*|0) echo "robustness-long.sh: --duration must be a positive number of seconds" >&2; exit 2 ;; esac
if [ -z "$seed" ]; then
  seed=$(( (RANDOM << 16 | RANDOM) + 1 ))
fi
case "$seed" in ''|*[!0-9]*|0) echo "robustness-long.sh: --seed must be a positive number" >&2; exit 2 ;; esac

echo "robustness long run: --duration $duration --seed $seed"
echo "replay with: scripts/robustness-long.sh --duration $duration --seed $seed"
cd "$(dirname "$0")/.."
rm -f ravel-robustness/target/robustness/report.txt
# Each scenario may take its duration plus the waits around its faults.
timeout_s=$(( duration * 2 + 600 ))
status=0
mvn -B ${RAVEL_MVN_OPTS:-} -pl ravel-robustness -am verify \
  -Dtest='io/ravel/robustness/**/*Test.java' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dravel.robustness.duration="$duration" -Dravel.robustness.seed="$seed" \
  -Dravel.robustness.timeout="$timeout_s s" || status=$?
echo
echo "seed $seed, duration $duration s per scenario; figures:"
cat ravel-robustness/target/robustness/report.txt 2>/dev/null || echo "(no scenario finished)"
exit $status
