#!/bin/bash
# gen.sh CASE: runs real Terraform against the stand-in AWS provider (fakeaws.py) on
# src/CASE (optional `pre` stage applied first, then `final` planned), writes
# $WORK/out/CASE/plan.json (and the sources, unless src/CASE/nosrc exists). With
# src/CASE/apply, the plan is then applied and the state written as state.json
# (`terraform show -json`) and terraform.tfstate.
# Needs terraform (1.11), jq and python3; run ./setup.sh once first.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-$here/../../../target/plan-generator}
export TF_CLI_CONFIG_FILE=$WORK/cli.tfrc CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
c=$1
src=$here/src/$c
work=$WORK/work/$c
out=$WORK/out/$c
rm -rf "$work" "$out"; mkdir -p "$work" "$out"
stage() { # copy a stage's files into work
  find "$work" -mindepth 1 -maxdepth 1 ! -name .terraform ! -name terraform.tfstate ! -name .terraform.lock.hcl -exec rm -rf {} +
  cp -r "$1"/. "$work"/
  [ -e "$work/versions.tf" ] || cp "$here/src/versions.tf" "$work/"
}
cd "$work"
if [ -d "$src/pre" ]; then
  stage "$src/pre"
  terraform init -input=false -no-color >/dev/null
  terraform apply -input=false -auto-approve -no-color >apply.log 2>&1 || { cat apply.log; exit 1; }
  rm -f apply.log
fi
stage "$src/final"
terraform init -input=false -no-color >/dev/null
terraform plan -input=false -no-color -out=tfplan > "$out.plan.txt" 2>&1 || { cat "$out.plan.txt"; exit 1; }
terraform show -json tfplan | jq . > "$out/plan.json"
if [ -e "$src/apply" ]; then
  # State cases: apply the plan, then keep the state as `terraform show -json` prints it
  # and the raw terraform.tfstate.
  terraform apply -input=false -auto-approve -no-color tfplan >apply.log 2>&1 || { cat apply.log; exit 1; }
  rm -f apply.log
  terraform show -json | jq . > "$out/state.json"
  cp terraform.tfstate "$out/terraform.tfstate"
fi
if [ ! -e "$src/nosrc" ]; then
  cp -r "$src/final"/. "$out"/
  [ -e "$out/versions.tf" ] || cp "$here/src/versions.tf" "$out/"
fi
echo "ok $c"
