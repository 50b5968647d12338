#!/usr/bin/env bash
# Runs the store contract suite against a real ArangoDB 3.12 started with Docker: single server, cluster, or both.
#
#   scripts/arango-live-tests.sh            # single server (docker-compose.yml), then the cluster (docker-compose.cluster.yml)
#   scripts/arango-live-tests.sh single     # single server only
#   scripts/arango-live-tests.sh cluster    # cluster only
#
# Needs Docker with the compose plugin and the .NET SDK. Each topology is started with `docker compose up -d`,
# waited on until healthy, tested (AGENTSCRIPT_TEST_ARANGO_URL set, so the live tests run instead of skipping), and
# stopped again with `docker compose down` (volumes kept; add KEEP_RUNNING=1 to leave the servers up).
# The tests create a database of their own (agentscript_test_<random>) and drop it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

password="${ARANGO_ROOT_PASSWORD:-openSesame}"
port="${ARANGO_PORT:-8529}"
url="http://localhost:${port}"
timeout_s="${ARANGO_START_TIMEOUT:-240}"

if ! docker compose version >/dev/null 2>&1; then
  echo "docker compose is not available: install Docker with the compose plugin (https://docs.docker.com/compose/install/)." >&2
  exit 2
fi

# Waits until the server answers an authenticated /_api/version (the same request the store starts with).
wait_ready() {
  local deadline=$((SECONDS + timeout_s))
  until curl -fsS -o /dev/null -u "root:${password}" "${url}/_api/version" 2>/dev/null; do
    if (( SECONDS >= deadline )); then
      echo "ArangoDB at ${url} did not answer within ${timeout_s} s; see: docker compose $1 logs" >&2
      return 1
    fi
    sleep 2
  done
}

run_suite() {
  local name="$1" files="$2" extra_env="$3"
  echo "== ${name}: docker compose ${files} up -d"
  # shellcheck disable=SC2086
  ARANGO_ROOT_PASSWORD="$password" docker compose ${files} up -d
  status=0
  if wait_ready "$files"; then
    echo "== ${name}: running the live contract suite against ${url}"
    # shellcheck disable=SC2086
    env AGENTSCRIPT_TEST_ARANGO_URL="$url" ARANGO_USERNAME=root ARANGO_PASSWORD="$password" $extra_env \
      dotnet test tests/AgentScript.Tests --filter "FullyQualifiedName~Arango&Category!=Stress" || status=$?
  else
    status=1
  fi
  if [[ "${KEEP_RUNNING:-0}" != "1" ]]; then
    # shellcheck disable=SC2086
    docker compose ${files} down
  fi
  return "$status"
}

what="${1:-all}"
failed=0
if [[ "$what" == "all" || "$what" == "single" ]]; then
  run_suite "single server" "-f docker-compose.yml" "" || failed=1
fi
if [[ "$what" == "all" || "$what" == "cluster" ]]; then
  run_suite "cluster" "-f docker-compose.cluster.yml" "ARANGO_NUMBER_OF_SHARDS=3 ARANGO_REPLICATION_FACTOR=2 ARANGO_WRITE_CONCERN=2" || failed=1
fi
exit "$failed"
