#!/usr/bin/env bash
# Installs edgecnn-run as a systemd service on a Raspberry Pi (run on the Pi, as root, from a clone of the repository).
# usage: sudo firmware-config/deploy.sh pi4|pi5 CONFIG.json [PUBLISH_DIR]
#   PUBLISH_DIR: an existing linux-arm64 NativeAOT publish; without it the .NET SDK on the Pi publishes one.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
profile=${1:?usage: deploy.sh pi4|pi5 CONFIG.json [PUBLISH_DIR]}
config=$(readlink -f "${2:?usage: deploy.sh pi4|pi5 CONFIG.json [PUBLISH_DIR]}")
# shellcheck source=/dev/null
. "$here/profiles/$profile.env"
[ "$(id -u)" -eq 0 ] || { echo "run as root (sudo)"; exit 1; }
publish=${3:-}
if [ -z "$publish" ]; then
  publish=$(mktemp -d)
  echo "publishing edgecnn-run for $BOARD ($RID, $ILC_INSTRUCTION_SET)"
  dotnet publish "$here/../src/EdgeCnn.App" -c Release -r "$RID" -p:IlcInstructionSet="${ILC_INSTRUCTION_SET//,/%2C}" -o "$publish"
fi

# the service's own user, in the groups that own the camera and the GPIO chips
getent group gpio >/dev/null || groupadd --system gpio
id edgecnn >/dev/null 2>&1 || useradd --system --no-create-home --home-dir /var/lib/edgecnn --shell /usr/sbin/nologin --user-group edgecnn
usermod -a -G video,gpio edgecnn

install -d -m 0755 /opt/edgecnn /opt/edgecnn/models /etc/edgecnn
install -m 0755 "$publish/edgecnn-run" /opt/edgecnn/edgecnn-run
install -m 0644 "$here/../README.md" /opt/edgecnn/README.md
install -m 0640 -g edgecnn "$config" /etc/edgecnn/edgecnn.json
install -m 0644 "$here/udev/99-edgecnn.rules" /etc/udev/rules.d/99-edgecnn.rules
udevadm control --reload && udevadm trigger --subsystem-match=gpio --subsystem-match=video4linux
sed "s/^WatchdogSec=.*/WatchdogSec=${WATCHDOG_SEC}s/" "$here/systemd/edgecnn.service" > /etc/systemd/system/edgecnn.service
/opt/edgecnn/edgecnn-run check-config /etc/edgecnn/edgecnn.json
systemctl daemon-reload
systemctl enable --now edgecnn.service
systemctl --no-pager status edgecnn.service | head -n 5
echo "logs: journalctl -u edgecnn -f"
