#!/usr/bin/env bash
# Checks edgecnn.service with systemd's own tools: `systemd-analyze verify` (syntax, directives, dependencies, the
# executable) and `systemd-analyze security --offline=true` (exposure score, no running systemd needed).
# verify insists that ExecStart's binary exists, so it checks a copy of the unit whose /opt/edgecnn/edgecnn-run points at
# the binary given (a NativeAOT publish), or at /bin/true when none is given.
# usage: firmware-config/systemd/verify.sh [path/to/edgecnn-run]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
binary=$(readlink -f "${1:-/bin/true}")
command -v systemd-analyze >/dev/null || { echo "FAIL systemd-analyze not found (apt-get install systemd)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed "s|/opt/edgecnn/edgecnn-run|$binary|g" "$here/edgecnn.service" > "$tmp/edgecnn.service"
if systemd-analyze verify "$tmp/edgecnn.service"; then
  echo "PASS systemd-analyze verify edgecnn.service"
else
  echo "FAIL systemd-analyze verify edgecnn.service"
  exit 1
fi
exposure=$(systemd-analyze security --offline=true --no-pager "$tmp/edgecnn.service" 2>&1 | sed -n 's/.*Overall exposure level for edgecnn.service: \([0-9.]*\) \([A-Z]*\).*/\1 \2/p')
echo "PASS systemd-analyze security --offline=true: exposure ${exposure:-unknown}"
[ -n "$exposure" ]
