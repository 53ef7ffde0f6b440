//! The migration of an ECR repository that already exists to one on a customer-managed key,
//! written out: the runbook (the Terraform change, the steps, the consumers to repoint) and
//! the `migrate-<name>.sh` that copies every image with its digest. Encryption cannot change
//! in place, so this is the only path that keeps the images.

use std::fmt::Write as _;

use super::escape::line as escape_line;
use crate::fix::migrate::Migration;

/// `'text'` for a shell, whatever the text holds.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The script that copies the images. Names must pass
/// [`crate::fix::migrate::valid_repository_name`].
pub fn migration_script(m: &Migration) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        r#"#!/usr/bin/env bash
# Copies every image of the ECR repository {old} to {new} (encrypted with a customer-managed
# KMS key), keeping each image's digest. Written by `tfcheck migrate`; see migrate-{old_file}.md.
#
# Run it after the new repository exists (the Terraform change in the runbook). It stops at
# the first error, deletes nothing, and can be run again: tags already copied with the same
# digest are skipped. Needs the AWS CLI, and crane (github.com/google/go-containerregistry);
# without crane it falls back to docker, which rebuilds manifests, so digests change.
set -euo pipefail

OLD_REPOSITORY={old_q}
NEW_REPOSITORY={new_q}
REGION="${{AWS_REGION:-${{AWS_DEFAULT_REGION:-}}}}"
if [ -z "$REGION" ]; then
  echo "set AWS_REGION to the repositories' region" >&2
  exit 1
fi
ACCOUNT="${{AWS_ACCOUNT_ID:-$(aws sts get-caller-identity --query Account --output text)}}"
REGISTRY="$ACCOUNT.dkr.ecr.$REGION.amazonaws.com"

say() {{ printf '%s\n' "$*" >&2; }}

# 1. The new repository exists and is encrypted with KMS.
encryption=$(aws ecr describe-repositories --region "$REGION" --repository-names "$NEW_REPOSITORY" \
  --query 'repositories[0].encryptionConfiguration.encryptionType' --output text)
if [ "$encryption" != KMS ] && [ "$encryption" != KMS_DSSE ]; then
  say "$NEW_REPOSITORY is encrypted with $encryption, not KMS: apply the Terraform change first"
  exit 1
fi

# 2. Log in to the registry.
if command -v crane > /dev/null 2>&1; then
  tool=crane
  aws ecr get-login-password --region "$REGION" | crane auth login "$REGISTRY" --username AWS --password-stdin
else
  tool=docker
  say "crane is not installed: copying with docker pull/tag/push, which rebuilds manifests."
  say "Digests CHANGE: anything that pins an image by digest must be repointed by tag."
  aws ecr get-login-password --region "$REGION" | docker login "$REGISTRY" --username AWS --password-stdin
fi

# 3. Every tag of the old repository, page by page.
tags=()
token=""
while :; do
  page_args=(ecr list-images --region "$REGION" --repository-name "$OLD_REPOSITORY"
    --filter tagStatus=TAGGED --max-results 1000 --no-paginate)
  if [ -n "$token" ]; then
    page_args+=(--next-token "$token")
  fi
  page=$(aws "${{page_args[@]}}" --query 'imageIds[].imageTag' --output text)
  for tag in $page; do
    if [ "$tag" != None ]; then
      tags+=("$tag")
    fi
  done
  token=$(aws "${{page_args[@]}}" --query 'nextToken' --output text)
  if [ -z "$token" ] || [ "$token" = None ]; then
    break
  fi
done
say "${{#tags[@]}} tags to copy from $OLD_REPOSITORY to $NEW_REPOSITORY"

# 4. Copy each tag, and check that the new repository has the same digest.
for tag in "${{tags[@]}}"; do
  src="$REGISTRY/$OLD_REPOSITORY:$tag"
  dst="$REGISTRY/$NEW_REPOSITORY:$tag"
  if [ "$tool" = crane ]; then
    want=$(crane digest "$src")
    if have=$(crane digest "$dst" 2> /dev/null) && [ "$have" = "$want" ]; then
      say "$tag: already copied ($want)"
      continue
    fi
    crane copy "$src" "$dst"
    have=$(crane digest "$dst")
    if [ "$have" != "$want" ]; then
      say "$tag: the copy has digest $have, the original $want: stopping"
      exit 1
    fi
    say "$tag: copied ($want)"
  else
    docker pull "$src"
    docker tag "$src" "$dst"
    docker push "$dst"
    say "$tag: copied with docker (new digest)"
  fi
done

# 5. What to repoint before anything else changes.
say ""
say "All ${{#tags[@]}} tags are in $REGISTRY/$NEW_REPOSITORY. Repoint every consumer to it and deploy:"
"#,
        old = m.repository,
        new = m.new_repository,
        old_file = m.repository.replace('/', "-"),
        old_q = quote(&m.repository),
        new_q = quote(&m.new_repository),
    );
    if m.consumers.is_empty() {
        s.push_str("say \"  (the scanned code names no consumer: look in task definitions, Helm values, manifests and pipelines)\"\n");
    } else {
        // Shown as written: `${...}` in them is Terraform's, not the shell's.
        s.push_str("# shellcheck disable=SC2016\nprintf '  %s\\n' \\\n");
        for (i, c) in m.consumers.iter().enumerate() {
            let end = if i + 1 == m.consumers.len() { " >&2\n" } else { " \\\n" };
            let _ = write!(s, "  {}{end}", quote(&escape_line(c)));
        }
    }
    s.push_str(
        r#"say "Also outside this code: ECS task definitions, Lambda functions, Kubernetes manifests and Helm"
say "values, CI pipelines, and any rollback that pins an old tag or digest of $OLD_REPOSITORY."

# 6. Only when nothing pulls from the old repository any more, and no rollback needs it.
#    WARNING: this deletes every image in it, for good. It is left for you to run by hand.
# aws ecr delete-repository --region "$REGION" --repository-name "$OLD_REPOSITORY" --force
"#,
    );
    s
}

/// The runbook: why, the Terraform change, the steps, the consumers.
pub fn migration_runbook(m: &Migration) -> String {
    let mut s = String::new();
    let old = &m.repository;
    let new = &m.new_repository;
    let file = old.replace('/', "-");
    let _ = writeln!(s, "# Migrating ECR repository `{old}` to a customer-managed key\n");
    let _ = writeln!(
        s,
        "An ECR repository's encryption cannot change after it is created: changing it in Terraform \
         replaces the repository, and replacing it deletes every image in it. This runbook creates \
         `{new}` beside `{old}`, copies every image with its digest, and leaves the old repository \
         until nothing uses it.\n"
    );
    let _ = writeln!(s, "## 1. Add the new repository\n");
    if let Some(a) = &m.address {
        let _ = writeln!(
            s,
            "Beside `{}` (keep the old resource for now; copy its other settings: tag mutability, \
             scanning, lifecycle and repository policies):\n",
            escape_line(a)
        );
    }
    let _ = writeln!(s, "```hcl\n{}```\n", m.terraform);
    let _ = writeln!(s, "Then `terraform plan` must show only additions, and `terraform apply`.\n");
    let _ = writeln!(s, "## 2. Copy the images\n");
    let _ = writeln!(
        s,
        "```sh\nAWS_REGION=<region> bash migrate-{file}.sh\n```\n\nIt lists every tag (page by page), copies \
         each with `crane copy` (layers and manifest byte for byte) and checks the digests match. It \
         stops at the first error and can be run again.\n"
    );
    let _ = writeln!(s, "## 3. Repoint every consumer\n");
    if m.consumers.is_empty() {
        let _ = writeln!(s, "The scanned code names no consumer of `{old}`.\n");
    } else {
        let _ = writeln!(s, "In the scanned code:\n");
        for c in &m.consumers {
            let _ = writeln!(s, "- `{}`", escape_line(c).replace('`', "'"));
        }
        s.push('\n');
    }
    let _ = writeln!(
        s,
        "Outside it: ECS task definitions, Lambda functions, Kubernetes manifests and Helm values, CI \
         pipelines, and rollbacks that pin an old tag or digest.\n"
    );
    let _ = writeln!(s, "## 4. Only then, remove the old repository\n");
    let _ = writeln!(
        s,
        "When nothing has pulled from `{old}` for long enough (CloudTrail `BatchGetImage` events, or the \
         repository's image `lastRecordedPullTime`), remove its resource from the configuration. \
         Deleting it deletes every image in it; the script never does it."
    );
    s
}
