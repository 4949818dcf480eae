#!/usr/bin/env bash
# Installs the Debian packages that farl's integration tests and robot links use, when missing:
# Mosquitto (MQTT v5 broker), the ROS 1 master, rospy and rostopic (python3), pandas (python3), which reads
# farl's LeRobot-style CSV export in LeRobotExportIT, and chromium with its chromedriver (the operator console's
# browser test). Idempotent.
# Runs apt-get as root, or through sudo when available.
set -euo pipefail

packages=(mosquitto python3-rosmaster python3-rospy python3-rostopic python3-roslaunch
          python3-sensor-msgs python3-std-msgs rosout python3-pandas chromium chromium-driver)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "system deps: all present (${packages[*]})"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "system deps: missing ${missing[*]} and no root or sudo to install them" >&2
  exit 1
fi

echo "system deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q
"${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
# The Debian mosquitto package starts a system broker on :1883; tests start their own on free ports.
if command -v systemctl >/dev/null 2>&1; then "${SUDO[@]}" systemctl disable --now mosquitto >/dev/null 2>&1 || true; fi
