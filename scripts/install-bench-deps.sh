#!/usr/bin/env bash
# Installs what the decision benchmark's eager PyTorch reference (scripts/bench/eager_decision.py) needs, when
# missing: Debian's python3-torch (CPU), python3-numpy and OpenBLAS. Debian's torch is built with
# BLAS_INFO=generic and without OpenBLAS runs its linear layers on the netlib reference BLAS (~1 MAC/ns, 5-10x
# slower than an optimised BLAS): the reference would be a strawman. Run the script with /usr/bin/python3.
# Idempotent: installs nothing when all are installed; runs `apt-get update` only when apt knows no candidate
# for a missing package.
# Runs apt-get as root, or through sudo when available.
set -euo pipefail

packages=(python3-torch python3-numpy libopenblas0-pthread)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "bench deps: all present (${packages[*]})"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "bench deps: missing ${missing[*]} and no root or sudo to install them" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
need_update=0
for p in "${missing[@]}"; do
  candidate=$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ {print $2}')
  if [ -z "$candidate" ] || [ "$candidate" = "(none)" ]; then
    need_update=1
  fi
done
if [ "$need_update" -eq 1 ]; then
  echo "bench deps: apt-get update (no candidate known for some of ${missing[*]})"
  "${SUDO[@]}" apt-get update -q
fi
echo "bench deps: installing ${missing[*]}"
"${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
/usr/bin/python3 -c 'import torch, numpy; print("bench deps: torch", torch.__version__, "numpy", numpy.__version__)'
