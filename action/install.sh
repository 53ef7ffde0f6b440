#!/usr/bin/env bash
# Installs tfcheck for the GitHub Action, the version the workflow pinned and no other:
# - `version` empty (the default): the release named by the action's ref when that ref is a
#   release tag (`uses: tfcheck/tfcheck@v1.2.3`); for any other ref (a commit SHA, a branch)
#   the action's own source, which is exactly that commit, built with `cargo install --locked`;
# - `version: v1.2.3` that release; `version: latest` the latest release; `version: source`
#   the action's source.
# A release binary is checked against its SHA-256; failing that, the action's source is built.
# Writes `bin=<path>` to $GITHUB_OUTPUT.
# TFCHECK_INSTALL_DRY_RUN=1 prints what it would do and exits.
set -euo pipefail

repo=${ACTION_REPOSITORY:-tfcheck/tfcheck}
release_tag='^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$'
version=${INPUT_VERSION:-}
ref=${ACTION_REF:-}
if [ -z "$version" ]; then
  if [[ $ref =~ $release_tag ]]; then version=$ref; else version=source && pinned_source=1; fi
fi
# The version goes into a URL: only the forms above.
if [ "$version" != latest ] && [ "$version" != source ] && ! [[ $version =~ $release_tag ]]; then
  echo "::error title=tfcheck::version must be empty, latest, source or a release tag such as v1.2.3"
  exit 2
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
  if [ "$version" = source ]; then
    echo "build=${GITHUB_ACTION_PATH:-<action path>}"
  else
    echo "url=$url"
    echo "checksum=$url.sha256"
  fi
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
  if [ -n "${pinned_source:-}" ]; then
    echo "The action's ref (${ref:-none}) is not a release tag: building tfcheck from the action's own source"
  elif [ "$version" = source ]; then
    echo "version: source: building tfcheck from the action's own source"
  else
    echo "No release binary for $target at $url; building tfcheck from the action's source"
  fi
  if ! command -v cargo >/dev/null 2>&1; then
    echo "::error title=tfcheck::building tfcheck from source needs cargo on the runner (dtolnay/rust-toolchain), or pin the action to a release tag"
    exit 1
  fi
  cargo install --locked --quiet --root "$dest/cargo" --path "$GITHUB_ACTION_PATH"
  bin="$dest/cargo/bin/$exe"
fi
"$bin" --version
echo "bin=$bin" >> "${GITHUB_OUTPUT:-/dev/null}"
