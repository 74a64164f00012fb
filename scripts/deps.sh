#!/bin/sh
# Installs the Debian 12 packages obslint builds from, when any is missing.
# Uses sudo only when not root. Sourced by bootstrap.sh and test.sh.
set -eu
OBSLINT_PACKAGES="time g++ cmake ninja-build meson pkg-config libyaml-cpp-dev rapidjson-dev libcli11-dev libre2-dev libfmt-dev doctest-dev"
missing=""
for p in $OBSLINT_PACKAGES ${OBSLINT_EXTRA_PACKAGES:-}; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "obslint: installing Debian packages:$missing"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi
