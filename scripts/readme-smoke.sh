#!/usr/bin/env bash
# Checks that the README's curl examples work as written, against a live local system.
#
# Starts a system with scripts/ravel-local on free ports in a temporary directory (or, with
# --running, uses the one on localhost:5000), then runs every README line of the form "$ curl ..."
# in order (with the README's localhost:5000 replaced by the port actually used). When the README shows an answer on the line after the command, the answer
# must match: JSON compared as JSON, with a trailing HTTP status (" 404") compared as text. A command
# shown without an answer must exit 0 and get a 2xx. The README's usage blocks ("$ ravel_node --help"
# and so on) must match the commands' real output. Everything it started is stopped at the end.
#
# Usage: scripts/readme-smoke.sh [--running] [README]    (needs bash, curl, python3; exit 0 when all pass)
#   --running   use the system already serving on localhost:5000 (as the README's commands do)
#               instead of starting one; its data then holds the README's sample keys afterwards.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
running=""
if [ "${1:-}" = --running ]; then
    running=1
    shift
fi
readme=${1:-$repo/README.md}
[ -f "$readme" ] || { echo "readme-smoke: no README at $readme" >&2; exit 1; }
command -v python3 >/dev/null 2>&1 || { echo "readme-smoke: python3 is needed to compare JSON" >&2; exit 1; }

if [ -n "$running" ]; then
    HTTP=5000
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/ravel-readme-smoke.XXXXXX")
    cleanup() {
        "$repo/scripts/ravel-local" down --dir "$work" >/dev/null 2>&1 || true
        if [ "${RAVEL_SMOKE_KEEP:-}" = 1 ]; then
            echo "readme-smoke: kept $work"
        else
            rm -rf "$work"
        fi
    }
    trap cleanup EXIT

    "$repo/scripts/ravel-local" up --dir "$work" --base-port auto
    # shellcheck disable=SC1091
    . "$work/ports"
fi

# Pairs (command, expected answer or empty) from the README, in order.
mapfile -t lines <"$readme"
commands=()
answers=()
for i in "${!lines[@]}"; do
    line=${lines[i]}
    case $line in
        '$ curl '*)
            commands+=("${line#\$ }")
            next=${lines[i + 1]:-}
            case $next in
                '$ '* | '```'* | '') answers+=("") ;;
                *) answers+=("$next") ;;
            esac
            ;;
    esac
done
[ ${#commands[@]} -gt 0 ] || { echo "readme-smoke: no '\$ curl' lines in $readme" >&2; exit 1; }

# Same JSON (and the same trailing status, if any)?
same_answer() {
    python3 - "$1" "$2" <<'EOF'
import json, re, sys
def split(text):
    m = re.match(r"^(.*?)(?:\s+(\d{3}))?\s*$", text, re.S)
    return m.group(1), m.group(2)
(got, got_status), (want, want_status) = split(sys.argv[1]), split(sys.argv[2])
try:
    same = json.loads(got) == json.loads(want)
except ValueError:
    same = got.strip() == want.strip()
sys.exit(0 if same and got_status == want_status else 1)
EOF
}

failures=0
for i in "${!commands[@]}"; do
    cmd=${commands[i]//localhost:5000/localhost:$HTTP}
    want=${answers[i]}
    if [ -n "$want" ]; then
        got=$(bash -c "$cmd" 2>/dev/null) || { echo "FAIL (curl exit $?): ${commands[i]}"; failures=$((failures + 1)); continue; }
        got=$(printf '%s' "$got" | tr -d '\n')
        if same_answer "$got" "$want"; then
            echo "ok   ${commands[i]}"
        else
            echo "FAIL ${commands[i]}"
            echo "     README: $want"
            echo "     got:    $got"
            failures=$((failures + 1))
        fi
    else
        if bash -c "$cmd -s -f -o /dev/null"; then
            echo "ok   ${commands[i]}"
        else
            echo "FAIL (no 2xx): ${commands[i]}"
            failures=$((failures + 1))
        fi
    fi
done

# The README's usage blocks ("$ ravel_node --help" and so on) must be the commands' real output,
# from the same commands scripts/ravel-local runs (installed on PATH, else this repository's bin/).
if command -v ravel_node >/dev/null 2>&1 && command -v ravel_cluster_admin >/dev/null 2>&1; then
    bin_dir=$(dirname "$(command -v ravel_node)")
else
    bin_dir=$repo/bin
fi
helps=0
while IFS= read -r usage; do
    helps=$((helps + 1))
    if python3 - "$readme" "$bin_dir" "$usage" <<'EOF'
import subprocess, sys
readme, bin_dir, usage = open(sys.argv[1]).read(), sys.argv[2], sys.argv[3]
args = usage.split()
out = subprocess.run([bin_dir + "/" + args[0]] + args[1:], capture_output=True, text=True).stdout.rstrip("\n")
sys.exit(0 if "$ " + usage + "\n" + out + "\n```" in readme else 1)
EOF
    then
        echo "ok   $usage"
    else
        echo "FAIL $usage: the README's block differs from the command's output"
        failures=$((failures + 1))
    fi
done < <(grep -E '^\$ ravel_[a-z_]+( [a-z]+)? --help$' "$readme" | sed 's/^\$ //')

echo "readme-smoke: ${#commands[@]} README curl commands, $helps usage blocks, $failures failed"
[ $failures -eq 0 ]
