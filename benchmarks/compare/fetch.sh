#!/usr/bin/env bash
# fetch.sh DIR: lays out the ECR comparison corpus (docs/comparison.md) in DIR as
# <owner>__<repo>/ trees, each repository at the commit in ecr-corpus.tsv, keeping only the
# paths listed there (repository-relative, so `source = "../.."` still resolves).
# The terraform-provider-aws entry is two documentation pages whose ```terraform blocks the
# comparison scanned as example_*.tf; this script fetches the pages and leaves the extraction
# to the reader. Needs git and network access.
set -euo pipefail
dest=${1:?usage: fetch.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dest"
grep -v '^#' "$here/ecr-corpus.tsv" | while IFS=$'\t' read -r dir repo commit paths; do
  tmp=$(mktemp -d)
  git -C "$tmp" init -q
  git -C "$tmp" fetch -q --depth 1 "https://github.com/$repo" "$commit"
  git -C "$tmp" checkout -q FETCH_HEAD
  mkdir -p "$dest/$dir"
  for p in $paths; do
    if [ "$p" = . ]; then
      cp -R "$tmp/." "$dest/$dir/"
      rm -rf "$dest/$dir/.git"
    else
      mkdir -p "$dest/$dir/$(dirname "$p")"
      cp -R "$tmp/$p" "$dest/$dir/$p"
    fi
  done
  rm -rf "$tmp"
  echo "fetched $repo@$commit"
done
