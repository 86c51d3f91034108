#!/bin/sh
# Installs Chromium and its WebDriver for tests/browser/search_page.py (Debian).
# Does nothing when both are already there. Needs root (or sudo).
set -eu
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    echo "chromium and chromedriver are installed"
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=300 update
$SUDO apt-get -o DPkg::Lock::Timeout=300 install -y chromium chromium-driver
/usr/bin/chromium --version
/usr/bin/chromedriver --version
