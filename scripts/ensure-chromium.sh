#!/bin/sh
# The browser test drives Debian's Chromium; install it when we may (root + apt), never download one.
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser test…"
  (apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium) >/dev/null 2>&1
fi
[ -x /usr/bin/chromium ] || echo "note: /usr/bin/chromium missing; the browser test will be skipped." >&2
exit 0
