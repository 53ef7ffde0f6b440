#!/usr/bin/env bash
# Runs tfcheck for the GitHub Action, from the INPUT_* variables the action sets: annotations
# (or another format) in the log, SARIF to a file, a job summary, and the step outputs
# `findings`, `sarif-file` and `exit-code`.
set -uo pipefail

bin=${TFCHECK_BIN:-tfcheck}
cd "${GITHUB_WORKSPACE:-.}" || exit 2

read -r -a paths <<< "${INPUT_PATH:-.}"
read -r -a extra <<< "${INPUT_ARGS:-}"
sarif=${INPUT_SARIF_FILE:-tfcheck.sarif}

args=("${paths[@]}" "${extra[@]}" --sarif "$sarif" --fail-on "${INPUT_FAIL_ON:-low}")
if [ "${INPUT_ANNOTATE:-true}" = true ]; then
  args+=(--format github)
else
  args+=(--format "${INPUT_FORMAT:-human}" --step-summary)
fi

# The job summary goes to $GITHUB_STEP_SUMMARY unless it is turned off.
if [ "${INPUT_SUMMARY:-true}" = true ]; then
  "$bin" "${args[@]}"
  code=$?
else
  env -u GITHUB_STEP_SUMMARY "$bin" "${args[@]}"
  code=$?
fi
echo "exit-code=$code" >> "${GITHUB_OUTPUT:-/dev/null}"

if [ "$code" -eq 1 ] && [ "${INPUT_SOFT_FAIL:-false}" = true ]; then
  echo "tfcheck found issues; soft-fail is on, so the step passes."
  exit 0
fi
exit "$code"
