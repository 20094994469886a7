#!/usr/bin/env bash
# Install Debian packages the tests need (gettext, chromium, nginx) when they are missing.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: $*. Install them (sudo apt-get install $*) and run again." >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
