#!/bin/sh
# install-deps.sh - make sure the Debian packages a target needs are present.
#
#   utils/install-deps.sh build|test|bench
#
# Checks with dpkg-query (fast when nothing is missing) and installs only the
# missing packages with apt-get (running "apt-get update" first if the
# install fails).  Needs root to install; without root it prints the
# apt-get command and fails.
set -eu

build_pkgs="gcc make libc6-dev libreadline-dev libxml2-dev"
test_pkgs="$build_pkgs libcmocka-dev sip-tester clang libclang-rt-14-dev iproute2 procps tmux"
bench_pkgs="$test_pkgs kamailio valgrind"

case "${1:-build}" in
  build) want=$build_pkgs ;;
  test)  want=$test_pkgs ;;
  bench) want=$bench_pkgs ;;
  *) echo "usage: $0 build|test|bench" >&2; exit 2 ;;
esac

missing=
for p in $want; do
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$st" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
  esac
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing:$missing" >&2
if [ "$(id -u)" != 0 ]; then
  echo "install-deps: not root; run: sudo apt-get install -y$missing" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
apt-get install -y --no-install-recommends $missing ||
  { apt-get update && apt-get install -y --no-install-recommends $missing; }
