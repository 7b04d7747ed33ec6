#!/bin/sh
# Make sure a Chromium that Playwright can drive exists, or say exactly what to do.
set -e
if [ -n "$PLAYWRIGHT_CHROMIUM" ] && [ -x "$PLAYWRIGHT_CHROMIUM" ]; then exit 0; fi
if [ -x /usr/bin/chromium ]; then exit 0; fi
if ls "$HOME"/.cache/ms-playwright/chromium-*/chrome-linux*/chrome >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's Chromium for the browser tests (apt-get install chromium)..."
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
  [ -x /usr/bin/chromium ] && exit 0
fi
cat >&2 <<MSG
The browser tests need Chromium and none was found. Install one of:
  sudo apt-get install chromium              (Debian/Ubuntu; used from /usr/bin/chromium)
  .venv/bin/playwright install chromium      (where the machine can download browsers)
or point PLAYWRIGHT_CHROMIUM at a Chromium binary.
MSG
exit 1
