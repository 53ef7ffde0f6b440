#!/usr/bin/env bash
# Installs tfcheck for the GitHub Action: the release binary for this runner's OS and
# architecture, its SHA-256 checked; failing that, `cargo install --locked` from the action's
# own source. Writes `bin=<path>` to $GITHUB_OUTPUT.
# `version: source` always builds from the action's source (CI of this repository).
# TFCHECK_INSTALL_DRY_RUN=1 prints what it would download and exits.
set -euo pipefail

repo=${ACTION_REPOSITORY:-tfcheck/tfcheck}
version=${INPUT_VERSION:-latest}
# An action pinned to a release tag installs that release.
if [ "$version" = latest ] && [[ "${ACTION_REF:-}" =~ ^v[0-9]+\.[0-9]+\.[0-9]+ ]]; then
  version=$ACTION_REF
fi

case "${RUNNER_OS:-$(uname -s)}-${RUNNER_ARCH:-$(uname -m)}" in
  Linux-X64 | Linux-x86_64) target=x86_64-unknown-linux-musl ;;
  Linux-ARM64 | Linux-aarch64) target=aarch64-unknown-linux-musl ;;
  macOS-X64 | Darwin-x86_64) target=x86_64-apple-darwin ;;
  macOS-ARM64 | Darwin-arm64) target=aarch64-apple-darwin ;;
  Windows-X64 | MINGW*-x86_64 | MSYS*-x86_64) target=x86_64-pc-windows-msvc ;;
  *) target=unknown ;;
esac
ext=tar.gz
exe=tfcheck
if [[ $target == *windows* ]]; then
  ext=zip
  exe=tfcheck.exe
fi
asset="tfcheck-$target.$ext"
# TFCHECK_RELEASE_URL: a mirror laid out as a GitHub releases page (for networks without
# access to github.com, and for tests).
base=${TFCHECK_RELEASE_URL:-https://github.com/$repo/releases}
if [ "$version" = latest ]; then
  url="$base/latest/download/$asset"
else
  url="$base/download/$version/$asset"
fi

if [ "${TFCHECK_INSTALL_DRY_RUN:-}" = 1 ]; then
  echo "target=$target"
  echo "url=$url"
  echo "checksum=$url.sha256"
  exit 0
fi

dest=${RUNNER_TEMP:-$(mktemp -d)}/tfcheck-install
mkdir -p "$dest"
bin="$dest/$exe"

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

download() {
  [ "$target" != unknown ] || return 1
  curl -fsSL --retry 3 -o "$dest/$asset" "$url" || return 1
  curl -fsSL --retry 3 -o "$dest/$asset.sha256" "$url.sha256" || return 1
  expected=$(cut -d' ' -f1 < "$dest/$asset.sha256")
  actual=$(sha256 "$dest/$asset")
  if [ "$expected" != "$actual" ]; then
    echo "::error title=tfcheck::checksum mismatch for $asset (expected $expected, got $actual)"
    return 1
  fi
  if [ "$ext" = zip ]; then unzip -oq "$dest/$asset" -d "$dest"; else tar -xzf "$dest/$asset" -C "$dest"; fi
  [ -x "$bin" ] || chmod +x "$bin"
}

if [ "$version" != source ] && download; then
  echo "Installed tfcheck $version ($target) from $url"
else
  [ "$version" = source ] || echo "No release binary for $target at $url; building tfcheck from the action's source"
  cargo install --locked --quiet --root "$dest/cargo" --path "$GITHUB_ACTION_PATH"
  bin="$dest/cargo/bin/$exe"
fi
"$bin" --version
echo "bin=$bin" >> "${GITHUB_OUTPUT:-/dev/null}"
