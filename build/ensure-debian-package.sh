#!/usr/bin/env bash
# ensure-debian-package.sh PACKAGE BINARY: installs a Debian package that integration tests start
# (nats-server; chromium-driver, which brings chromium) when BINARY is on neither the PATH nor /usr/sbin, so that
# `mvn -B verify` works on a fresh machine. Run by Maven before a module's integration tests.
# Never fails the build: without root or apt-get it says what to install, and the tests that need
# the binary fail naming it.
set -uo pipefail
package="$1" binary="$2"
if command -v "$binary" >/dev/null || [ -x "/usr/sbin/$binary" ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null || [ "$(id -u)" -ne 0 ]; then
  echo "ensure-debian-package: $binary is missing; install the Debian package $package (apt-get install $package)" >&2
  exit 0
fi
echo "ensure-debian-package: installing $package for the integration tests" >&2
if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null; }; then
  echo "ensure-debian-package: could not install $package; the tests that need $binary will fail" >&2
fi
exit 0
