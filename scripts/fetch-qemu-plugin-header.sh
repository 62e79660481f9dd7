#!/usr/bin/env bash
# Puts QEMU's plugin API header (qemu-plugin.h, from the source package of
# the installed qemu, obtained with apt-get source) in
# build/qemu-plugin/include, for tools/qemu-insn-count. Adds Debian's
# deb-src entries when apt has none. Idempotent: an existing header is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
DEST="$BUILD_DIR/qemu-plugin/include"
if [ -f "$DEST/qemu-plugin.h" ]; then
  echo "fetch-qemu-plugin-header: $DEST/qemu-plugin.h present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
if ! grep -rqs "deb-src" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "fetch-qemu-plugin-header: adding Debian's deb-src entries"
  $SUDO tee /etc/apt/sources.list.d/tinyq-deb-src.sources >/dev/null <<'SOURCES'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  $SUDO apt-get update -qq
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && apt-get source --download-only -qq qemu >/dev/null 2>&1)
tarball=$(ls "$WORK"/qemu_*.orig.tar.* | head -1)
tar -xf "$tarball" -C "$WORK" --wildcards '*/include/qemu/qemu-plugin.h'
mkdir -p "$DEST"
cp "$WORK"/*/include/qemu/qemu-plugin.h "$DEST/"
echo "fetch-qemu-plugin-header: $DEST/qemu-plugin.h from $(basename "$tarball")"
