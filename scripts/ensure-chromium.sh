#!/usr/bin/env bash
# Install Debian's chromium for the browser tests when it is missing (root, apt available).
# Playwright's own browser download does not work here; the tests launch /usr/bin/chromium.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null; then
  echo "chromium missing and cannot apt-get install it (need root + apt)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
/usr/bin/chromium --version
