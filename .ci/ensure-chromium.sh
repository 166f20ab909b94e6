#!/usr/bin/env bash
# Browser tests drive Debian's Chromium through playwright-core, which never downloads a browser.
# `npm test` (pretest) and .ci/run call this: it installs Debian's chromium with apt when it is
# missing, or says clearly what to do when it cannot. $ROMGFX_CHROMIUM names another binary.
set -euo pipefail
browser="${ROMGFX_CHROMIUM:-/usr/bin/chromium}"
[ -x "$browser" ] && exit 0
if [ -z "${ROMGFX_CHROMIUM:-}" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "romgfx: installing Debian's chromium for the browser tests (apt-get)…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "romgfx: the browser tests need Chromium at $browser: install Debian's chromium (apt-get install chromium) or set ROMGFX_CHROMIUM" >&2
exit 1
