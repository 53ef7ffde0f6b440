#!/usr/bin/env bash
# Benchmarks tfcheck (see BENCHMARKS.md): (a) the parse floor, (b) a full scan, (c) Checkov
# when installed, on the same files, with peak memory and startup.
#   benchmarks/run.sh [RUNS]
# Corpus: ../shared/corpus/big.tar.gz unpacked when present, else a generated corpus of the
# same shape. CHECKOV=/path/to/checkov to time Checkov (it takes minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
corpus=target/corpus/big
if [ ! -d "$corpus" ]; then
  if [ -f ../shared/corpus/big.tar.gz ]; then
    mkdir -p target/corpus && tar xzf ../shared/corpus/big.tar.gz -C target/corpus
  else
    echo "../shared is absent: generating a corpus of the same shape"
    cargo run --quiet --release --manifest-path benchmarks/Cargo.toml --bin generate -- "$corpus"
  fi
fi
cargo build --quiet --release
cargo build --quiet --release --manifest-path benchmarks/Cargo.toml
bench=benchmarks/target/release/tfcheck-benchmarks
tfcheck=target/release/tfcheck

echo "== machine"
echo "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, $(uname -sr)"
echo
echo "== whole corpus"
"$bench" "$corpus" "$runs"
echo
echo "== peak memory, whole corpus"
/usr/bin/time -f "tfcheck: %e s wall, %M KB peak" "$tfcheck" "$corpus" --format json --output /dev/null --no-config || true
echo
echo "== startup and a small scan (one module), median of 20"
for i in $(seq 20); do /usr/bin/time -f "%e" "$tfcheck" testdata/examples/ecr --format json --output /dev/null --no-config 2>&1 >/dev/null || true; done | sort -n | sed -n 10p | awk '{print "tfcheck testdata/examples/ecr: " $1 " s"}'

subset=$(ls -d "$corpus"/terraform-aws-modules__* 2>/dev/null | tr '\n' ' ')
if [ -n "$subset" ]; then
  echo
  echo "== the 38 terraform-aws-modules repositories"
  du -sb $subset | awk '{s+=$1} END {printf "%.1f MB\n", s/1e6}'
  start=$(date +%s.%N)
  for i in $(seq "$runs"); do "$tfcheck" $subset --format json --output /dev/null --no-config || true; done
  end=$(date +%s.%N)
  tf=$(echo "($end - $start) / $runs" | bc -l)
  printf "(b) tfcheck: %.3f s (mean of %d)\n" "$tf" "$runs"
  if [ -n "${CHECKOV:-}" ]; then
    start=$(date +%s.%N)
    for d in $subset; do "$CHECKOV" -d "$d" --framework terraform --quiet --compact --skip-download -o json > /dev/null 2>&1 || true; done
    end=$(date +%s.%N)
    ck=$(echo "$end - $start" | bc -l)
    printf "(c) checkov: %.1f s, one run\n" "$ck"
    printf "c/b = %.0f\n" "$(echo "$ck / $tf" | bc -l)"
  else
    echo "(c) Checkov: set CHECKOV=/path/to/checkov to time it"
  fi
fi
