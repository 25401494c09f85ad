#!/usr/bin/env bash
# Local PostgreSQL for Refettorio without Docker.
#
#   deploy/local/postgres.sh up       ensure server + role + databases (idempotent)
#   deploy/local/postgres.sh down [fast|immediate]
#                                     stop our cluster (never touches an admin-URL server);
#                                     `immediate` is what a crash looks like (recovery at the
#                                     next start), `fast` (the default) a clean shutdown
#   deploy/local/postgres.sh status   exit 0 if reachable, 1 otherwise
#
# End state: server on 127.0.0.1:${REFETTORIO_PG_PORT:-5432}, login role
# refettorio/refettorio (CREATEDB) owning the databases
#   accounts attendance payments notifications kernel  (+ *_test twins).
#
# Two modes:
#  * REFETTORIO_PG_ADMIN_URL=postgresql://super:pw@host:port/postgres set:
#    use that existing server; only create role/databases (with psql).
#    'down' is then a no-op.
#  * otherwise: our own cluster from Debian's postgresql package (installed
#    with apt-get when /usr/lib/postgresql/*/bin/initdb is missing).
#    - Data dir: ${REFETTORIO_PG_DATA:-/var/lib/postgresql/refettorio-<port>}.
#      Not under REFETTORIO_HOME because that is usually below /root, which
#      the postgres OS user cannot traverse. Owned by postgres; every
#      server-side command runs via `runuser -u postgres --` (postgres refuses
#      to run as root). When not run as root, the current user owns the
#      cluster and the default data dir is $REFETTORIO_HOME/pgdata.
#    - Server log: <data dir>/postgres.log (postgres must be able to write
#      it), symlinked as $REFETTORIO_HOME/logs/postgres.log.
#    - Unix socket: /var/run/postgresql as root (so `runuser -u postgres --
#      psql -p <port>` works), the data dir otherwise. TCP: 127.0.0.1 only.
#    - Settings live in <data dir>/refettorio.conf (rewritten on every 'up',
#      applied on the next start); REFETTORIO_PG_OPTIONS adds server options
#      to this start (`pg_ctl -o`, e.g. "-c log_min_duration_statement=0").
set -euo pipefail

DB_NAMES=(accounts attendance payments notifications kernel)  # kernel: the shared kernel's own tests
ROLE=refettorio
ROLE_PASSWORD=refettorio

PORT="${REFETTORIO_PG_PORT:-5432}"
REFETTORIO_HOME="${REFETTORIO_HOME:-$HOME/.cache/refettorio}"
LOGS="$REFETTORIO_HOME/logs"
ADMIN_URL="${REFETTORIO_PG_ADMIN_URL:-}"

if [[ $EUID -eq 0 ]]; then
  PGDATA="${REFETTORIO_PG_DATA:-/var/lib/postgresql/refettorio-$PORT}"
  SOCKET_DIR=/var/run/postgresql
else
  PGDATA="${REFETTORIO_PG_DATA:-$REFETTORIO_HOME/pgdata}"
  SOCKET_DIR="$PGDATA"
fi
PGLOG="$PGDATA/postgres.log"

# The postgres user may not be allowed into the caller's cwd (e.g. /root).
cd /

log() { echo "postgres: $*" >&2; }

# Runs a command as the cluster owner.
as_pg() {
  if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Debian's server binaries; the cluster's own major version once it exists.
find_bindir() {
  if [[ -f "$PGDATA/PG_VERSION" ]]; then
    echo "/usr/lib/postgresql/$(cat "$PGDATA/PG_VERSION")/bin"
    return
  fi
  local initdb
  initdb="$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)"
  if [[ -n "$initdb" ]]; then dirname "$initdb"; fi   # prints nothing if not installed
}

ensure_server_package() {
  if [[ -z "$(find_bindir)" || ! -x "$(find_bindir)/pg_ctl" ]]; then
    [[ $EUID -eq 0 ]] || { log "PostgreSQL server not installed and not root: apt-get install postgresql"; exit 1; }
    log "installing Debian's postgresql package ..."
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql
  fi
  BIN="$(find_bindir)"
  [[ -x "$BIN/pg_ctl" ]] || { log "no pg_ctl in $BIN (cluster made by a PostgreSQL version that is not installed?)"; exit 1; }
}

ensure_client() {
  command -v psql >/dev/null && return
  [[ $EUID -eq 0 ]] || { log "psql not found: apt-get install postgresql-client"; exit 1; }
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-client
}

# Debian's packaged cluster (normally 15/main on 5432) would fight us for the
# port: installing the package creates and starts it. Stop any such cluster
# that is online on our port. It keeps start.conf=auto, so a reboot/systemd
# may start it again; `pg_ctlcluster <ver> main stop` or setting
# /etc/postgresql/<ver>/main/start.conf to 'manual' makes that permanent.
stop_debian_cluster_on_port() {
  command -v pg_lsclusters >/dev/null || return 0
  local ver name port status
  while read -r ver name port status _; do
    if [[ "$port" == "$PORT" && "$status" == online* ]]; then
      log "stopping Debian cluster $ver/$name, which holds port $PORT"
      pg_ctlcluster "$ver" "$name" stop
    fi
  done < <(pg_lsclusters -h 2>/dev/null)
}

our_cluster_running() {
  [[ -f "$PGDATA/PG_VERSION" ]] && as_pg "$BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1
}

write_config() {
  # Dev settings: small memory. Commits are durable (synchronous_commit stays on, its default):
  # a consumer commits its Kafka offsets after the database commit, which protects nothing if
  # that commit can vanish in a crash. Every service also sets it on its own connections.
  as_pg tee "$PGDATA/refettorio.conf" >/dev/null <<EOF
# Generated by deploy/local/postgres.sh -- rewritten on every 'up'.
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$SOCKET_DIR'
max_connections = 200
shared_buffers = 128MB
work_mem = 4MB
maintenance_work_mem = 64MB
effective_cache_size = 512MB
timezone = 'UTC'
log_timezone = 'UTC'
log_line_prefix = '%m [%p] %q%u@%d '
EOF
}

init_cluster() {
  [[ -f "$PGDATA/PG_VERSION" ]] && return
  log "creating cluster in $PGDATA"
  mkdir -p "$PGDATA"
  [[ $EUID -eq 0 ]] && chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  as_pg "$BIN/initdb" -D "$PGDATA" -U postgres --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=peer --auth-host=scram-sha-256 >/dev/null
  echo "include = 'refettorio.conf'" | as_pg tee -a "$PGDATA/postgresql.conf" >/dev/null
}

start_cluster() {
  if our_cluster_running; then
    log "our cluster is already running ($PGDATA)"
    return
  fi
  stop_debian_cluster_on_port
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    log "port $PORT is taken by another server; set REFETTORIO_PG_PORT or REFETTORIO_PG_ADMIN_URL"
    exit 1
  fi
  if [[ $EUID -eq 0 ]]; then
    mkdir -p "$SOCKET_DIR" && chown postgres:postgres "$SOCKET_DIR" && chmod 2775 "$SOCKET_DIR"
  fi
  log "starting cluster $PGDATA on 127.0.0.1:$PORT"
  if ! as_pg "$BIN/pg_ctl" -D "$PGDATA" -l "$PGLOG" -o "${REFETTORIO_PG_OPTIONS:-}" -w -t 60 start >/dev/null; then
    log "FAILED to start; last lines of $PGLOG:"
    tail -n 30 "$PGLOG" >&2 || true
    exit 1
  fi
}

# psql as a superuser: either the admin URL or peer auth over our socket.
admin_psql() {
  if [[ -n "$ADMIN_URL" ]]; then
    psql "$ADMIN_URL" -X -q -v ON_ERROR_STOP=1 "$@"
  else
    as_pg psql -h "$SOCKET_DIR" -p "$PORT" -U postgres -d postgres -X -q -v ON_ERROR_STOP=1 "$@"
  fi
}

ensure_role_and_databases() {
  local db names=()
  for db in "${DB_NAMES[@]}"; do names+=("'$db'" "'${db}_test'"); done
  local IFS=,
  # One psql session for all of it (every psql start costs, on a busy machine).
  admin_psql <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$ROLE_PASSWORD';
  ELSE
    ALTER ROLE $ROLE LOGIN CREATEDB PASSWORD '$ROLE_PASSWORD';
  END IF;
END
\$\$;
SELECT format('CREATE DATABASE %I OWNER $ROLE', name)
FROM unnest(ARRAY[${names[*]}]) AS name
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = name)\gexec
SELECT format('ALTER DATABASE %I OWNER TO $ROLE', name) FROM unnest(ARRAY[${names[*]}]) AS name\gexec
SQL
}

# host:port of the server we manage or were pointed at.
server_address() {
  if [[ -n "$ADMIN_URL" ]]; then
    admin_psql -At -c "SELECT coalesce(host(inet_server_addr()), 'localhost') || ':' || inet_server_port()"
  else
    echo "127.0.0.1:$PORT"
  fi
}

where() {
  if [[ -n "$ADMIN_URL" ]]; then
    echo "$(server_address) (REFETTORIO_PG_ADMIN_URL), $(admin_psql -At -c 'SHOW server_version')"
  else
    echo "127.0.0.1:$PORT, data $PGDATA, log $PGLOG"
  fi
}

cmd_up() {
  if [[ -n "$ADMIN_URL" ]]; then
    ensure_client
  else
    ensure_server_package
    init_cluster
    write_config
    start_cluster
    mkdir -p "$LOGS"
    ln -sfn "$PGLOG" "$LOGS/postgres.log"
  fi
  ensure_role_and_databases
  log "ready: $(where)"
  log "URL: postgresql://$ROLE:$ROLE_PASSWORD@$(server_address)/<db>  (dbs: ${DB_NAMES[*]} + *_test)"
}

cmd_down() {
  local mode="${1:-fast}"
  [[ "$mode" == fast || "$mode" == immediate ]] || { log "stop mode is fast or immediate, not $mode"; exit 2; }
  if [[ -n "$ADMIN_URL" ]]; then
    log "REFETTORIO_PG_ADMIN_URL is set: that server is not ours, leaving it alone"
    return
  fi
  BIN="$(find_bindir)"
  if [[ -z "$BIN" ]] || ! our_cluster_running; then
    log "not running"
    return
  fi
  as_pg "$BIN/pg_ctl" -D "$PGDATA" -m "$mode" -w stop >/dev/null
  log "stopped ($mode, $PGDATA)"
}

cmd_status() {
  if [[ -n "$ADMIN_URL" ]]; then
    if PGCONNECT_TIMEOUT=5 admin_psql -At -c 'select 1' >/dev/null 2>&1; then
      echo "postgres: reachable, $(where)"
    else
      echo "postgres: REFETTORIO_PG_ADMIN_URL server not reachable"
      return 1
    fi
    return
  fi
  BIN="$(find_bindir)"
  if [[ -z "$BIN" ]] || ! our_cluster_running; then
    echo "postgres: not running ($PGDATA)"
    return 1
  fi
  if PGPASSWORD="$ROLE_PASSWORD" PGCONNECT_TIMEOUT=5 psql -h 127.0.0.1 -p "$PORT" \
    -U "$ROLE" -d accounts -X -At -c 'select 1' >/dev/null 2>&1; then
    echo "postgres: running, $(where)"
  else
    echo "postgres: server running but role $ROLE cannot log in to 'accounts' (run 'up')"
    return 1
  fi
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down "${2:-fast}" ;;
  status) cmd_status ;;
  *) echo "usage: $0 up|down [fast|immediate]|status" >&2; exit 2 ;;
esac
