#!/usr/bin/env bash
# Runs tfcheck for the GitHub Action, from the INPUT_* variables the action sets: annotations
# (or another format) in the log, SARIF to a file, a job summary, and the step outputs
# `findings`, `sarif-file` and `exit-code`.
set -uo pipefail

bin=${TFCHECK_BIN:-tfcheck}
cd "${GITHUB_WORKSPACE:-.}" || exit 2

# Splits $1 into the array `words` the way a POSIX shell splits words, and expands nothing
# (the text may come from a pull request: no eval, no globbing, no $ or `...` substitution):
# blanks (space, tab, newline, CR) separate words; '...' keeps everything; "..." keeps
# everything but the escapes \\ \" \$ \` and \<newline>; outside quotes, \ keeps the next
# character. Fails on an unterminated quote or a trailing backslash.
split_words() {
  local s=$1 n=${#1} i=0 c q='' word='' have=0
  words=()
  while [ "$i" -lt "$n" ]; do
    c=${s:i:1}
    if [ "$q" = "'" ]; then
      if [ "$c" = "'" ]; then q=''; else word+=$c; fi
    elif [ "$q" = '"' ]; then
      if [ "$c" = '"' ]; then
        q=''
      elif [ "$c" = '\' ] && [ $((i + 1)) -lt "$n" ]; then
        case ${s:i+1:1} in
          '"' | '\' | '$' | '`') i=$((i + 1)) && word+=${s:i:1} ;;
          $'\n') i=$((i + 1)) ;;
          *) word+=$c ;;
        esac
      else
        word+=$c
      fi
    else
      case $c in
        ' ' | $'\t' | $'\n' | $'\r')
          if [ "$have" = 1 ]; then words+=("$word") && word='' && have=0; fi ;;
        "'" | '"') q=$c && have=1 ;;
        '\')
          i=$((i + 1))
          [ "$i" -lt "$n" ] || return 1
          [ "${s:i:1}" = $'\n' ] || { word+=${s:i:1} && have=1; } ;;
        *) word+=$c && have=1 ;;
      esac
    fi
    i=$((i + 1))
  done
  [ -z "$q" ] || return 1
  if [ "$have" = 1 ]; then words+=("$word"); fi
}

split_words "${INPUT_PATH:-.}" || { echo "::error title=tfcheck::path: unterminated quote or trailing backslash"; exit 2; }
paths=(${words[@]+"${words[@]}"}) # bash 3.2 (macOS) calls an empty array unbound
split_words "${INPUT_ARGS:-}" || { echo "::error title=tfcheck::args: unterminated quote or trailing backslash"; exit 2; }
extra=(${words[@]+"${words[@]}"})
sarif=${INPUT_SARIF_FILE:-tfcheck.sarif}

args=(${paths[@]+"${paths[@]}"} ${extra[@]+"${extra[@]}"} --sarif "$sarif" --fail-on "${INPUT_FAIL_ON:-low}")
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
