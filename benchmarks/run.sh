#!/usr/bin/env bash
# Benchmarks tfcheck (see BENCHMARKS.md): (a) the parse floor, (b) a full scan, (c) Checkov
# when installed, on the same files, with peak memory, threads and startup.
#   benchmarks/run.sh [RUNS]
# BASELINE=/path/to/an/older/tfcheck measures that binary beside this one (memory, threads).
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
echo "== memory and cores: the release binary on the whole corpus, median of $runs (wall s, peak KB)"
# One line per run: "wall peak"; the median by wall time.
measure() {
  for i in $(seq "$runs"); do
    { /usr/bin/time -f "%e %M" "$1" "$corpus" --format json --output /dev/null --no-config -j "$2" 2>&1 >/dev/null || true; } | tail -1
  done | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}
for bin in "$tfcheck" ${BASELINE:+"$BASELINE"}; do
  read -r w1 m1 < <(measure "$bin" 1)
  read -r w2 m2 < <(measure "$bin" 2)
  printf "%s: 1 thread %.2f s (peak %d MB), 2 threads %.2f s (peak %d MB): 2 threads %.2fx\n" \
    "$bin" "$w1" $((m1 / 1024)) "$w2" $((m2 / 1024)) "$(echo "$w1 / $w2" | bc -l)"
done
echo
echo "== the machine's ceiling: one one-thread scan, then two at once, alternating, median of $runs"
# Two independent processes share no lock and no allocator: what they gain over one is the
# most two threads of one scan can gain on this machine.
ms() { echo $(( $(date +%s%N) / 1000000 )); }
alone=(); pair=()
for i in $(seq "$runs"); do
  t0=$(ms); "$tfcheck" "$corpus" --format json --output /dev/null --no-config -j 1 > /dev/null 2>&1 || true; t1=$(ms)
  "$tfcheck" "$corpus" --format json --output /dev/null --no-config -j 1 > /dev/null 2>&1 &
  "$tfcheck" "$corpus" --format json --output /dev/null --no-config -j 1 > /dev/null 2>&1 || true
  wait || true
  t2=$(ms)
  alone+=($((t1 - t0))); pair+=($((t2 - t1)))
done
a=$(printf "%s\n" "${alone[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
p=$(printf "%s\n" "${pair[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
awk -v a="$a" -v p="$p" 'BEGIN {printf "one scan %.2f s, two at once %.2f s: two processes do %.2fx the work of one\n", a / 1000, p / 1000, 2 * a / p}'
echo
echo "== startup and a small scan (one module), median of 20"
for i in $(seq 20); do
  t0=$(date +%s%N); "$tfcheck" testdata/examples/ecr --format json --output /dev/null --no-config -q || true; t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000 ))
done | sort -n | sed -n 10p | awk '{printf "tfcheck testdata/examples/ecr: %.1f ms\n", $1 / 1000}'
if script -qec true /dev/null > /dev/null 2>&1; then
  # Human output with stderr on a terminal, as on a laptop (the progress ticker is running).
  for i in $(seq 20); do
    script -qec "bash -c 't0=\$(date +%s%N); $tfcheck testdata/examples/ecr > /dev/null; t1=\$(date +%s%N); echo \$(( (t1 - t0) / 1000 ))'" /dev/null | tr -d '\r'
  done | sort -n | sed -n 10p | awk '{printf "tfcheck testdata/examples/ecr, human output on a terminal: %.1f ms\n", $1 / 1000}'
fi
t0=$(date +%s%N); for i in $(seq 20); do "$tfcheck" --version > /dev/null; done; t1=$(date +%s%N)
echo "tfcheck --version: $(( (t1 - t0) / 20000 )) us"

# The 37 terraform-aws-modules repositories (the issue says 38), side by side in one
# directory (hard links), so that tfcheck and Checkov each scan the same files in one process.
subset=target/corpus/subset
if [ ! -d "$subset" ]; then
  if ls -d "$corpus"/terraform-aws-modules__* > /dev/null 2>&1; then
    mkdir -p "$subset" && cp -al "$corpus"/terraform-aws-modules__* "$subset"/
  else
    # A generated corpus: its first six repositories, an eighth of it, as the 37 are.
    mkdir -p "$subset" && cp -al "$corpus"/repo0[0-5] "$subset"/
  fi
fi
if [ -d "$subset" ]; then
  echo
  echo "== $subset"
  echo "$(ls "$subset" | wc -l) repositories, $(find "$subset" -name '*.tf' | wc -l) .tf files, $(find "$subset" -type f -printf "%s\n" | awk "{s+=\$1} END {printf \"%.1f\", s/1e6}") MB"
  start=$(date +%s.%N)
  for i in $(seq "$runs"); do "$tfcheck" "$subset" --format json --output /dev/null --no-config -q || true; done
  end=$(date +%s.%N)
  tf=$(echo "($end - $start) / $runs" | bc -l)
  printf "(b) tfcheck: %.3f s (mean of %d)\n" "$tf" "$runs"
  /usr/bin/time -f "tfcheck peak memory: %M KB" "$tfcheck" "$subset" --format json --output /dev/null --no-config 2>&1 >/dev/null | tail -1 || true
  if [ -n "${CHECKOV:-}" ]; then
    # Checkov's Terraform framework only, no module downloads; its network errors are ignored.
    "$CHECKOV" --version | sed 's/^/checkov /'
    start=$(date +%s.%N)
    /usr/bin/time -o target/checkov.time -f "%M" "$CHECKOV" -d "$subset" --framework terraform --quiet --compact --skip-download -o json > target/checkov.json 2> target/checkov.err || true
    end=$(date +%s.%N)
    ck=$(echo "$end - $start" | bc -l)
    printf "(c) checkov: %.1f s, one run, peak memory %s KB\n" "$ck" "$(tail -1 target/checkov.time)"
    printf "c/b = %.0f\n" "$(echo "$ck / $tf" | bc -l)"
  else
    echo "(c) Checkov: set CHECKOV=/path/to/checkov to time it"
  fi
fi
