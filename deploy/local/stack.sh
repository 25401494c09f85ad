#!/usr/bin/env bash
# Local Refettorio infrastructure without Docker: Kafka + PostgreSQL.
#
#   deploy/local/stack.sh up|down|status
#
# See kafka.sh and postgres.sh for details and environment variables
# (REFETTORIO_HOME, REFETTORIO_PG_PORT, REFETTORIO_PG_ADMIN_URL, ...).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REFETTORIO_HOME="${REFETTORIO_HOME:-$HOME/.cache/refettorio}"
PG_PORT="${REFETTORIO_PG_PORT:-5432}"

summary() {
  echo
  echo "Refettorio local stack"
  echo "  Kafka:      KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092"
  if [[ -n "${REFETTORIO_PG_ADMIN_URL:-}" ]]; then
    echo "  PostgreSQL: the server of REFETTORIO_PG_ADMIN_URL (see 'postgres:' lines above)"
  else
    echo "  PostgreSQL: postgresql+asyncpg://refettorio:refettorio@127.0.0.1:$PG_PORT/<db>"
  fi
  echo "              dbs: accounts attendance payments notifications (+ *_test)"
  echo "  Logs:       $REFETTORIO_HOME/logs  (kafka.log, kafka.out, postgres.log)"
}

case "${1:-}" in
  up)
    "$HERE/postgres.sh" up
    "$HERE/kafka.sh" up
    summary
    ;;
  down)
    rc=0
    "$HERE/kafka.sh" down || rc=1
    "$HERE/postgres.sh" down || rc=1
    exit "$rc"
    ;;
  status)
    rc=0
    "$HERE/kafka.sh" status || rc=1
    "$HERE/postgres.sh" status || rc=1
    echo "logs: $REFETTORIO_HOME/logs"
    exit "$rc"
    ;;
  *)
    echo "usage: $0 up|down|status" >&2
    exit 2
    ;;
esac
