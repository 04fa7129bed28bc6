#!/bin/sh
# Browser tests use Debian's chromium (never `playwright install`).
# Install it with apt-get when it is missing and we are root; otherwise the tests skip
# with a clear message (and fail under CI=true).
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null ||
    echo "Could not install chromium with apt-get" >&2
else
    echo "chromium is missing and cannot be installed here (needs root and apt-get)" >&2
fi
exit 0
