#!/usr/bin/env bash
# Builds Ravel from the clone this script sits in and installs it under ${PREFIX:-/usr/local}:
#
#   $PREFIX/bin/ravel_node            launcher (see bin/ravel_node)
#   $PREFIX/bin/ravel_cluster_admin   launcher (see bin/ravel_cluster_admin)
#   $PREFIX/lib/ravel/                ravel-node.jar, ravel-cluster-admin.jar and their lib/
#
# Needs a JDK 17+ and Maven; downloads nothing but the Maven artifacts the build needs.
# Running it again upgrades in place. Usage: [PREFIX=DIR] ./install.sh
set -euo pipefail

fail() {
    echo "install.sh: $*" >&2
    exit 1
}

# --- where the sources are -------------------------------------------------------------------
# Piped into bash (curl ... | bash) there is no script file and no clone to build.
src="${BASH_SOURCE[0]:-}"
if [ -z "$src" ] || [ ! -f "$src" ]; then
    fail "run this script from a clone of the Ravel repository: clone it, cd into it, then ./install.sh"
fi
repo=$(cd "$(dirname "$src")" && pwd -P)
if [ ! -f "$repo/pom.xml" ] || [ ! -d "$repo/ravel-node" ] || [ ! -d "$repo/ravel-cluster-admin" ]; then
    fail "$repo is not a Ravel source tree (no pom.xml, ravel-node/, ravel-cluster-admin/); run install.sh from a clone of the Ravel repository"
fi

# --- prerequisites ---------------------------------------------------------------------------
java_major() { # prints the major version from `java -version` output on stdin ("1.8.0_1" -> 8)
    sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -1 | awk -F. '{ if ($1 == "1") print $2; else print $1 }'
}

missing=()
if ! command -v java >/dev/null 2>&1; then
    missing+=("Java 17 or newer (no 'java' on PATH)")
else
    major=$(java -version 2>&1 | java_major)
    case $major in
        '' | *[!0-9]*) major_ok=no ;;
        *) if [ "$major" -ge 17 ]; then major_ok=yes; else major_ok=no; fi ;;
    esac
    if [ "$major_ok" = no ]; then
        missing+=("Java 17 or newer ('java' on PATH is version ${major:-unknown})")
    fi
fi
if ! command -v mvn >/dev/null 2>&1; then
    missing+=("Apache Maven 3.6+ (no 'mvn' on PATH)")
else
    mvn_java=$(mvn -version 2>/dev/null | sed -n 's/^Java version: \([0-9][0-9]*\).*/\1/p' | head -1)
    if [ -n "$mvn_java" ] && [ "$mvn_java" -lt 17 ]; then
        missing+=("a JDK 17 or newer for Maven (mvn runs on Java $mvn_java; set JAVA_HOME to a JDK 17+)")
    fi
fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "install.sh: missing prerequisites:" >&2
    for m in "${missing[@]}"; do
        echo "  - $m" >&2
    done
    exit 1
fi

prefix=${PREFIX:-/usr/local}
case $prefix in
    /*) ;;
    *) prefix="$(pwd -P)/$prefix" ;;
esac
mkdir -p "$prefix/bin" "$prefix/lib" 2>/dev/null || true
if [ ! -w "$prefix/bin" ] || [ ! -w "$prefix/lib" ]; then
    fail "cannot write to $prefix/bin and $prefix/lib; run as a user who can (e.g. sudo ./install.sh) or pick another prefix: PREFIX=\$HOME/.local ./install.sh"
fi

# --- build -----------------------------------------------------------------------------------
echo "Building Ravel in $repo (mvn -B -q -DskipTests package) ..."
# Maven writes colour resets (ESC[0m) even in batch mode: strip every terminal escape code when the
# output is not a terminal (a log file, a CI job, a pipe). The ESC byte is written out, not as \x1b,
# which BSD and macOS sed do not read.
build() { (cd "$repo" && mvn -B -q -DskipTests package); }
if [ -t 1 ]; then
    build || fail "the Maven build failed (see the output above); nothing was installed"
else
    esc=$(printf '\033')
    build 2>&1 | sed "s/${esc}\[[0-9;?]*[A-Za-z]//g" || fail "the Maven build failed (see the output above); nothing was installed"
fi

for m in ravel-node ravel-cluster-admin; do
    if [ ! -f "$repo/$m/target/$m.jar" ] || [ ! -d "$repo/$m/target/lib" ]; then
        fail "the build did not produce $m/target/$m.jar and $m/target/lib/; nothing was installed"
    fi
done

# --- install: lib dir built aside, then swapped in -------------------------------------------
dest="$prefix/lib/ravel"
staging=$(mktemp -d "$prefix/lib/.ravel.new.XXXXXX")
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging/lib"
for m in ravel-node ravel-cluster-admin; do
    cp "$repo/$m/target/$m.jar" "$staging/"
    cp "$repo/$m/target/lib/"*.jar "$staging/lib/"
done
chmod -R a+rX "$staging"

if [ -e "$dest" ]; then
    old="$prefix/lib/.ravel.old.$$"
    mv "$dest" "$old"
    mv "$staging" "$dest"
    rm -rf "$old"
    action="Upgraded"
else
    mv "$staging" "$dest"
    action="Installed"
fi
trap - EXIT

for cmd in ravel_node ravel_cluster_admin; do
    cp "$repo/bin/$cmd" "$prefix/bin/.$cmd.new"
    chmod 755 "$prefix/bin/.$cmd.new"
    mv -f "$prefix/bin/.$cmd.new" "$prefix/bin/$cmd"
done

# --- report ----------------------------------------------------------------------------------
echo "$action Ravel:"
echo "  $prefix/bin/ravel_node"
echo "  $prefix/bin/ravel_cluster_admin"
libs=("$dest"/lib/*.jar)
echo "  $dest/ (${#libs[@]} libraries in lib/)"
case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) echo "Note: $prefix/bin is not on your PATH; add it (export PATH=\"$prefix/bin:\$PATH\") to run ravel_node from anywhere." ;;
esac
echo "Uninstall with: rm -rf $prefix/bin/ravel_node $prefix/bin/ravel_cluster_admin $dest"
