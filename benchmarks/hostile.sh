#!/usr/bin/env bash
# Times tfcheck on each hostile input of docs/security.md (issue "safe on untrusted pull
# requests"): wall time and peak memory with /usr/bin/time, and the exit code. The bar is
# 5 s and 500 MB for each.
#   benchmarks/hostile.sh [TFCHECK_BINARY]
# Builds the inputs under target/hostile/ (a fresh git repository each); needs GNU time.
# A run is stopped after 60 s (exit 124).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -ge 1 ]; then
  bin=$(realpath "$1")
else
  cargo build --quiet --release
  bin=$(realpath target/release/tfcheck)
fi
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time)"; exit 1; }
top=$(realpath -m target/hostile)
rm -rf "$top"
mkdir -p "$top"
export RUNNER_SECRET=EnvCanary7f3a9c1e5b

# A fresh repository: $top/<name>/repo with a .git directory, and $top/<name>/outside.
repo() {
  local d="$top/$1"
  mkdir -p "$d/repo/.git" "$d/outside"
  echo "token GitCanary2d8e4f6a0c" > "$d/repo/.git/config"
  echo "OutCanary9b1c3e5d7f" > "$d/outside/secret.txt"
  cd "$d/repo"
}

printf '%-44s %5s %8s %8s\n' case exit "wall s" "peak MB"
# Runs tfcheck in the current directory; prints one row.
run() {
  local name=$1
  shift
  local code wall kb
  set +e
  /usr/bin/time -o "$top/time" -f '%e %M' timeout 60 "$bin" "$@" > "$top/out" 2> "$top/err"
  code=$?
  set -e
  read -r wall kb < <(tail -1 "$top/time")
  printf '%-44s %5s %8s %8d\n' "$name" "$code" "$wall" $((kb / 1024))
  if grep -qa -e EnvCanary -e GitCanary -e OutCanary "$top/out" "$top/err"; then
    echo "  LEAK: a canary is in the output"
  fi
}

repo proc-module
cat > main.tf <<'EOF'
module "u" {
  source = "../../../../../../../../proc"
  count  = 0
}
resource "aws_ecr_repository" "x" {
  name                 = "x"
  image_tag_mutability = replace(file("/proc/self/environ"), "/(.)/", "$1 ")
}
EOF
run "1 module source to /proc, file(environ)" .

repo manifest
echo 'module "m" { source = "reg/x/aws" }' > main.tf
mkdir -p .terraform/modules
echo '{"Modules":[{"Key":"m","Source":"reg/x/aws","Dir":"/"}]}' > .terraform/modules/modules.json
run "1 modules.json Dir /" .

repo git-config
printf 'resource "aws_ecr_repository" "x" {\n  name = file(".git/config")\n}\n' > main.tf
run "1 file(.git/config)" .

repo symlinks
ln -s /proc/self/environ main.tf
ln -s /etc/passwd passwd.tf
ln -s ../outside vendor
printf 'var_files = ["secret.tfvars"]\n' > .tfcheck.hcl
ln -s ../outside/secret.txt secret.tfvars
run "1 symlinks to environ, passwd, dir, tfvars" .

repo devices
mkdir -p modules/z modules/f rules
printf 'module "z" { source = "./modules/z" }\nmodule "f" { source = "./modules/f" }\n' > main.tf
ln -s /dev/zero modules/z/main.tf
mkfifo modules/f/main.tf
ln -s /sys sys
ln -s /dev/zero rules/zero.hcl
printf 'rule_dirs = ["rules"]\n' > .tfcheck.hcl
run "2 /dev/zero module and rule, FIFO, /sys" .

repo bomb
for i in $(seq 0 39); do
  mkdir -p "l$i"
  ln -s "../l$((i + 1))" "l$i/a"
  ln -s "../l$((i + 1))" "l$i/b"
done
mkdir -p l40
printf 'resource "aws_ecr_repository" "deep" {\n  name = "deep"\n}\n' > l40/main.tf
run "2 symlink bomb, 40 levels" .

# A plan whose kms_key goes through a chain of data sources, each referencing the next three
# times (in three attributes).
plan_chain() {
  python3 - "$1" <<'EOF'
import json, sys
n = int(sys.argv[1])
res = []
for i in range(n):
    if i + 1 < n:
        ex = {f: {"references": [f"data.aws_kms_key.k{i+1}.arn", f"data.aws_kms_key.k{i+1}"]}
              for f in ("key_id", "description", "grant_tokens")}
    else:
        ex = {"key_id": {"constant_value": "alias/aws/ecr"}}
    res.append({"address": f"data.aws_kms_key.k{i}", "mode": "data", "type": "aws_kms_key",
                "name": f"k{i}", "provider_config_key": "aws", "expressions": ex})
res.append({"address": "aws_ecr_repository.r", "mode": "managed", "type": "aws_ecr_repository",
            "name": "r", "provider_config_key": "aws", "expressions": {"encryption_configuration": [
                {"encryption_type": {"constant_value": "KMS"},
                 "kms_key": {"references": ["data.aws_kms_key.k0.arn", "data.aws_kms_key.k0"]}}]}})
plan = {"format_version": "1.2", "terraform_version": "1.11.4", "planned_values": {"root_module": {}},
        "resource_changes": [{"address": "aws_ecr_repository.r", "mode": "managed",
            "type": "aws_ecr_repository", "name": "r", "change": {"actions": ["create"], "before": None,
            "after": {"name": "r", "encryption_configuration": [{"encryption_type": "KMS"}]},
            "after_unknown": {"encryption_configuration": [{"kms_key": True}]}}}],
        "configuration": {"root_module": {"resources": res}}}
print(json.dumps(plan))
EOF
}
repo plan-chain
plan_chain 14 > plan14.json
plan_chain 18 > plan18.json
plan_chain 64 > plan64.json
run "2 plan chain, 14 links x3 ($(wc -c < plan14.json) B)" plan14.json
run "2 plan chain, 18 links x3 ($(wc -c < plan18.json) B)" plan18.json
run "2 plan chain, 64 links x3 ($(wc -c < plan64.json) B)" plan64.json

locals_doubling() {
  echo 'locals {'
  echo '  a0 = "x"'
  for i in $(seq 1 "$1"); do echo "  a$i = [local.a$((i - 1)), local.a$((i - 1))]"; done
  echo '}'
  printf 'resource "aws_ecr_repository" "r" {\n  name = "r"\n  tags = { n = length(flatten(local.a%s)) }\n}\n' "$1"
}
repo locals-30
locals_doubling 30 > main.tf
run "2 locals doubling, 30 levels" .
repo locals-32
locals_doubling 32 > main.tf
run "2 locals doubling, 32 levels" .

repo render-10k
python3 -c "
for i in range(10000):
    print(f'resource \"aws_ecr_repository\" \"r{i}\" {{\n  name = \"r{i}\"\n}}')
" > main.tf
run "2 10,000 resources with findings, human" . --format human --no-config

repo render-45k
python3 -c "
for i in range(45000):
    print(f'resource \"aws_ecr_repository\" \"r{i}\" {{\n  name = \"r{i}\"\n}}')
" > main.tf
run "2 45,000 findings ($(wc -c < main.tf) B), human" . --format human --no-config --rule ecr_nocmk

repo bad-lines
# A megabyte of lines that each fail to parse on their own (every line a located error).
python3 -c "
import sys
sys.stdout.write('resource \"aws_ecr_repository\" \"r\" {\n  name = \"r\"\n}\n')
for i in range(16000):
    sys.stdout.write(f'a{i} = [ \"x\" \"y\" ] ]]\n' + f'b{i} = ' + '\"' + 'z' * 30 + '\"\n')
" > main.tf
run "2 1 MB file of bad lines ($(wc -c < main.tf) B)" . --format human --no-config

repo budget-flatten
python3 -c "
for i in range(26):
    print(f'resource \"aws_ecr_repository\" \"r{i}\" {{')
    print(f'  name = \"r{i}\"')
    print('  tags = { n = length(flatten([for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]])) }')
    print('}')
" > main.tf
run "3 26 repos, budget spent on tags" .

repo pad
mkdir -p modules/empty modules/real
echo '# nothing' > modules/empty/main.tf
printf 'resource "aws_ecr_repository" "this" {\n  name = "real"\n}\n' > modules/real/main.tf
printf 'module "a_pad" {\n  source = "./modules/empty"\n  count  = 10000\n}\nmodule "real" {\n  source = "./modules/real"\n}\n' > main.tf
run "3 module a_pad count 10000" .

repo decoy
mkdir -p .hidden
printf 'module "m" {\n  source = "./.hidden"\n}\n' > main.tf
printf 'resource "aws_ecr_repository" "this" {\n  name = "h"\n}\n' > .hidden/main.tf
printf 'resource "aws_ecr_repository" "this" {\n  encryption_configuration {\n    encryption_type = "KMS"\n    kms_key = "arn:aws:kms:eu-west-1:111122223333:key/1"\n  }\n}\n' > .hidden/.a_override.tf
run "3 .a_override.tf decoy in a hidden module" .

repo terraform-data
printf 'resource "terraform_data" "k" {\n  input = "alias/aws/ecr"\n}\nresource "aws_ecr_repository" "r" {\n  name = "r"\n  encryption_configuration {\n    encryption_type = "KMS"\n    kms_key = terraform_data.k.input\n  }\n}\n' > main.tf
run "3 terraform_data input as kms_key" .

repo two-configs
mkdir -p a b
printf 'resource "aws_ecr_repository" "a" {\n  name = "a"\n}\n' > a/main.tf
printf 'exclude = ["**"]\n' > a/.tfcheck.hcl
printf 'resource "aws_ecr_repository" "b" {\n  name = "b"\n}\n' > b/main.tf
run "3 tfcheck a b, a/.tfcheck.hcl excludes all" a b --format json

repo forged
printf '# a comment\r::error file=x::owned\nresource "aws_ecr_repository" "r" {\n  name = "r"\n}\n' > main.tf
mkdir -p "$(printf 'd\n::add-mask::x')" "$(printf 'e\033]8;;http://evil\033\\\\x')"
cp main.tf "$(printf 'd\n::add-mask::x')/main.tf"
cp main.tf "$(printf 'e\033]8;;http://evil\033\\\\x')/main.tf"
run "4 CR, newline and ESC in sources and names" . --format human --no-config
echo
