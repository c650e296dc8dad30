#!/usr/bin/env bash
# Builds the solution and runs every test, then prints one summary line read from the TRX results:
#   N passed, N failed[, N skipped]
# Exits non-zero when a test failed, the test run itself failed, or no results were produced.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
repo="$(pwd)"
results="$repo/artifacts/test-results"
trx="$results/results.trx"

# End-to-end tests start a real redis-server on a free loopback port.
if ! command -v redis-server >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "test.sh: redis-server not on PATH: installing it with apt-get"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi

# Browser tests drive Debian's chromium through Playwright (no browser download).
if [ ! -x /usr/bin/chromium ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "test.sh: /usr/bin/chromium missing: installing chromium with apt-get"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# Load progress tests make a model big enough to load slowly with the shared make_tiny_gguf.py, which needs numpy.
if [ ! -f /usr/lib/python3/dist-packages/numpy/__init__.py ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "test.sh: python3-numpy missing: installing it with apt-get"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-numpy >/dev/null
fi

# Docker tests start a dockerd of their own (Debian's docker.io: Engine 20.10, API 1.41) on a
# socket in a temp folder. A docker client may be installed without an engine: look for dockerd.
if ! command -v dockerd >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "test.sh: dockerd not on PATH: installing docker.io with apt-get"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi

# The generated docker-compose.yml is validated by Debian's docker-compose 1.29 (no compose v2 here).
if ! command -v docker-compose >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "test.sh: docker-compose not on PATH: installing it with apt-get"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
fi

if ! dotnet build LlamaSwap.sln -c Release --nologo --verbosity minimal; then
  echo "test.sh: build failed; no tests were run" >&2
  exit 1
fi

rm -f "$trx"
test_status=0
dotnet test LlamaSwap.Tests -c Release --no-build --nologo --verbosity minimal \
  --logger "trx;LogFileName=results.trx" \
  --logger "console;verbosity=normal" \
  --results-directory "$results" || test_status=$?

if [ ! -f "$trx" ]; then
  echo "test.sh: the test run produced no results ($trx missing; dotnet test exit $test_status)" >&2
  exit 1
fi

counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
counter() {
  local value
  value="$(printf '%s' "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p")"
  echo "${value:-0}"
}

passed="$(counter passed)"
# error, timeout and aborted results are failures too, whatever the runner calls them.
failed=$(( $(counter failed) + $(counter error) + $(counter timeout) + $(counter aborted) ))
# xunit's skipped tests are in the total but not executed (the TRX notExecuted counter stays 0).
skipped=$(( $(counter total) - $(counter executed) ))

if [ "$skipped" -gt 0 ]; then
  echo
  echo "Skipped tests, by reason:"
  grep -A4 'outcome="NotExecuted"' "$trx" | sed -n 's/.*<Message>\(.*\)<\/Message>.*/\1/p' | sort | uniq -c | sed 's/^ */  /'
fi

if [ "$failed" -gt 0 ]; then
  # Repeated here because a CI log may keep only its last lines.
  echo
  echo "Failed tests:"
  grep -o '<UnitTestResult [^>]*outcome="\(Failed\|Error\|Timeout\|Aborted\)"[^>]*>' "$trx" \
    | sed -n 's/.*testName="\([^"]*\)".*/  \1/p' | sed 's/&quot;/"/g; s/&amp;/\&/g'
fi

summary="$passed passed, $failed failed"
if [ "$skipped" -gt 0 ]; then summary="$summary, $skipped skipped"; fi
echo
echo "$summary"

if [ "$failed" -gt 0 ]; then exit 1; fi
if [ "$test_status" -ne 0 ]; then
  echo "test.sh: dotnet test exited with $test_status" >&2
  exit "$test_status"
fi
