#!/usr/bin/env bash
# Copies every image of the ECR repository team/api to team/api-cmk (encrypted with a customer-managed
# KMS key), keeping each image's digest. Written by `tfcheck migrate`; see migrate-team-api.md.
#
# Run it after the new repository exists (the Terraform change in the runbook). It stops at
# the first error, deletes nothing, and can be run again: tags already copied with the same
# digest are skipped. Needs the AWS CLI, and crane (github.com/google/go-containerregistry);
# without crane it falls back to docker, which rebuilds manifests, so digests change.
set -euo pipefail

OLD_REPOSITORY='team/api'
NEW_REPOSITORY='team/api-cmk'
REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}"
if [ -z "$REGION" ]; then
  echo "set AWS_REGION to the repositories' region" >&2
  exit 1
fi
ACCOUNT="${AWS_ACCOUNT_ID:-$(aws sts get-caller-identity --query Account --output text)}"
REGISTRY="$ACCOUNT.dkr.ecr.$REGION.amazonaws.com"

say() { printf '%s\n' "$*" >&2; }

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
  page=$(aws "${page_args[@]}" --query 'imageIds[].imageTag' --output text)
  for tag in $page; do
    if [ "$tag" != None ]; then
      tags+=("$tag")
    fi
  done
  token=$(aws "${page_args[@]}" --query 'nextToken' --output text)
  if [ -z "$token" ] || [ "$token" = None ]; then
    break
  fi
done
say "${#tags[@]} tags to copy from $OLD_REPOSITORY to $NEW_REPOSITORY"

# 4. Copy each tag, and check that the new repository has the same digest.
for tag in "${tags[@]}"; do
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
say "All ${#tags[@]} tags are in $REGISTRY/$NEW_REPOSITORY. Repoint every consumer to it and deploy:"
# shellcheck disable=SC2016
printf '  %s\n' \
  'main.tf:29: image_uri     = "${aws_ecr_repository.api.repository_url}:v1"' >&2
say "Also outside this code: ECS task definitions, Lambda functions, Kubernetes manifests and Helm"
say "values, CI pipelines, and any rollback that pins an old tag or digest of $OLD_REPOSITORY."

# 6. Only when nothing pulls from the old repository any more, and no rollback needs it.
#    WARNING: this deletes every image in it, for good. It is left for you to run by hand.
# aws ecr delete-repository --region "$REGION" --repository-name "$OLD_REPOSITORY" --force
