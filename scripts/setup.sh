#!/usr/bin/env bash
# Installs what a fresh machine lacks: npm packages (which also verify and convert the bundled backbone);
# with --browser, Debian's Chromium for the browser tests and benchmarks; with --opencv, Debian's
# python3-opencv, the side-by-side baseline of `npm run bench:slic`. Nothing else is downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=()
for arg in "$@"; do
  case "$arg" in
    --browser) [ -x /usr/bin/chromium ] || apt_packages+=(chromium) ;;
    --opencv) /usr/bin/python3 -c 'import cv2' 2>/dev/null || apt_packages+=(python3-opencv) ;;
  esac
done
if [ ${#apt_packages[@]} -gt 0 ]; then
  echo "installing Debian's ${apt_packages[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_packages[@]}" >/dev/null
fi

if ! [ -d node_modules ] || ! [ node_modules/.package-lock.json -nt package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
