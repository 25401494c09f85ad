#!/usr/bin/env bash
# The four services as background processes on the local stack (one process each: HTTP API,
# Kafka consumers and outbox relay), and the local mail and SMS catcher the notifications
# service sends to (nothing leaves the machine).
#
#   deploy/local/services.sh up|down|status
#
# Ports: accounts 8001, attendance 8002, payments 8003, notifications 8004; catcher: SMTP 1025,
# SMS (Twilio-shaped HTTP) 1026, app IO (IO's Services API) 1027, messages kept in
# $REFETTORIO_HOME/mail/*.eml, sms/*.json and io/*.json.
# The local SPID/CIE stand-in (an OpenID Connect provider process with the demo identities) on a
# free port, kept in $REFETTORIO_HOME/oidc.env as ACCOUNTS_OIDC_ISSUER for the accounts service.
# Logs (JSON lines): $REFETTORIO_HOME/logs/<service>.log
# pagoPA's ACA is played by tests/aca_stand_in.py on 8010 (payments' default PAYMENTS_ACA_API_URL).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
REFETTORIO_HOME="${REFETTORIO_HOME:-$HOME/.cache/refettorio}"
LOGS="$REFETTORIO_HOME/logs"
PYTHON="$ROOT/.venv/bin/python"
declare -A PORTS=([accounts]=8001 [attendance]=8002 [payments]=8003 [notifications]=8004)
SERVICES=(accounts attendance payments notifications)
# `REPLICAS=N deploy/local/services.sh up` (or `make up REPLICAS=N`) starts N processes of each
# service: replica i (1..N) of a service listens on its port + 10 * (i - 1), so accounts is on
# 8001, 8011, 8021...; the consumers of one service share their group's partitions, one relay
# publishes at a time, migrations run once. A load balancer would front the replicas of each
# service (see the README); locally each service calls the first replica of the others.
REPLICAS="${REPLICAS:-1}"
CATCHER="$ROOT/services/notifications/tools/catcher.py"
SMTP_PORT=1025
SMS_PORT=1026
IO_PORT=1027
ACA_PORT=8010
OIDC_ENV="$REFETTORIO_HOME/oidc.env"

pid_file() { echo "$REFETTORIO_HOME/$1.pid"; }

alive() {
  local pid
  pid="$(cat "$(pid_file "$1")" 2>/dev/null)" || return 1
  kill -0 "$pid" 2>/dev/null
}

# A replica's name: the service's for the first, `<service>-<i>` for the others.
replica() { if (($2 == 1)); then echo "$1"; else echo "$1-$2"; fi; }
replica_port() { echo $((PORTS[$1] + 10 * ($2 - 1))); }

start() {
  local service=$1 name port
  name="$(replica "$1" "$2")"
  port="$(replica_port "$1" "$2")"
  if alive "$name"; then
    echo "$name: already running (pid $(cat "$(pid_file "$name")"))"
    return
  fi
  (
    set -a
    # shellcheck disable=SC1091
    source "$HERE/dev.env"
    # shellcheck disable=SC1090
    source "$OIDC_ENV"
    set +a
    export "${service^^}_HTTP_PORT=$port"
    cd "$ROOT"
    exec nohup "$PYTHON" -m "$service" >>"$LOGS/$name.log" 2>&1 </dev/null
  ) &
  echo $! >"$(pid_file "$name")"
}

start_catcher() {
  if alive catcher; then
    echo "catcher: already running (pid $(cat "$(pid_file catcher)"))"
    return
  fi
  (
    export REFETTORIO_HOME
    cd "$ROOT"
    exec nohup "$PYTHON" "$CATCHER" --smtp-port "$SMTP_PORT" --sms-port "$SMS_PORT" --io-port "$IO_PORT" >>"$LOGS/catcher.log" 2>&1 </dev/null
  ) &
  echo $! >"$(pid_file catcher)"
  for _ in $(seq 1 40); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT") 2>/dev/null; then
      echo "catcher: mail on smtp://127.0.0.1:$SMTP_PORT -> $REFETTORIO_HOME/mail/*.eml, SMS -> $REFETTORIO_HOME/sms/*.json"
      echo "catcher: app IO on http://127.0.0.1:$IO_PORT/api/v1 -> $REFETTORIO_HOME/io/*.json (every citizen on IO)"
      return
    fi
    alive catcher || { echo "catcher: exited; last log lines:" >&2; tail -20 "$LOGS/catcher.log" >&2; exit 1; }
    sleep 0.25
  done
  echo "catcher: not listening after 10 s; see $LOGS/catcher.log" >&2
  exit 1
}

start_aca() {
  if alive aca; then
    echo "aca: already running (pid $(cat "$(pid_file aca)"))"
    return
  fi
  (cd "$ROOT" && exec nohup "$PYTHON" tests/aca_stand_in.py --port "$ACA_PORT" >>"$LOGS/aca.log" 2>&1 </dev/null) &
  echo $! >"$(pid_file aca)"
  echo "aca: pagoPA ACA stand-in on http://127.0.0.1:$ACA_PORT (what payments registered: /stand-in/requests)"
}

start_oidc() {
  local port
  if alive oidc && [[ -f "$OIDC_ENV" ]]; then
    echo "SPID/CIE stand-in: already running, $(cut -d= -f2 "$OIDC_ENV")"
    return
  fi
  port="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  echo "ACCOUNTS_OIDC_ISSUER=http://127.0.0.1:$port" >"$OIDC_ENV"
  (
    cd "$ROOT"
    exec nohup "$PYTHON" "$HERE/oidc_provider.py" --port "$port" >>"$LOGS/oidc.log" 2>&1 </dev/null
  ) &
  echo $! >"$(pid_file oidc)"
  for _ in $(seq 1 60); do
    if curl -fs "http://127.0.0.1:$port/.well-known/openid-configuration" >/dev/null; then
      echo "SPID/CIE stand-in: http://127.0.0.1:$port (OpenID Connect provider with the demo identities)"
      return
    fi
    alive oidc || { echo "oidc: exited; last log lines:" >&2; tail -20 "$LOGS/oidc.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "oidc: not answering after 30 s; see $LOGS/oidc.log" >&2
  exit 1
}

wait_ready() {
  local name port
  name="$(replica "$1" "$2")"
  port="$(replica_port "$1" "$2")"
  for _ in $(seq 1 120); do
    if curl -fs "http://127.0.0.1:$port/ready" >/dev/null; then
      echo "$name: ready on http://127.0.0.1:$port (docs: /docs, events: /asyncapi.json)"
      return
    fi
    alive "$name" || { echo "$name: exited; last log lines:" >&2; tail -20 "$LOGS/$name.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "$name: not ready after 60 s; see $LOGS/$name.log" >&2
  exit 1
}

stop() {
  local name=$1 pid
  alive "$name" || { rm -f "$(pid_file "$name")"; return; }
  pid="$(cat "$(pid_file "$name")")"
  kill -TERM "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  rm -f "$(pid_file "$name")"
  echo "$name: stopped"
}

mkdir -p "$LOGS"
case "${1:-}" in
  up) start_catcher
      start_aca
      start_oidc
      for i in $(seq 1 "$REPLICAS"); do for s in "${SERVICES[@]}"; do start "$s" "$i"; done; done
      for i in $(seq 1 "$REPLICAS"); do for s in "${SERVICES[@]}"; do wait_ready "$s" "$i"; done; done ;;
  down) for f in "$REFETTORIO_HOME"/*.pid; do  # every replica that was started, whatever N was
          name="$(basename "$f" .pid)"
          [[ "${name%%-*}" =~ ^(accounts|attendance|payments|notifications)$ ]] && stop "$name"
        done
        stop catcher
        stop aca
        stop oidc ;;
  status) for s in "${SERVICES[@]}"; do
            for f in "$REFETTORIO_HOME/$s.pid" "$REFETTORIO_HOME/$s"-*.pid; do
              [[ -f "$f" ]] || continue
              name="$(basename "$f" .pid)"
              i="${name#"$s"}"; i="${i#-}"
              if alive "$name"; then echo "$name: running on $(replica_port "$s" "${i:-1}") (pid $(cat "$f"))"; else echo "$name: stopped"; fi
            done
            [[ -f "$REFETTORIO_HOME/$s.pid" ]] || echo "$s: stopped"
          done
          if alive catcher; then echo "catcher: running on $SMTP_PORT (SMTP), $SMS_PORT (SMS) and $IO_PORT (app IO)"; else echo "catcher: stopped"; fi
          if alive aca; then echo "aca: running on $ACA_PORT"; else echo "aca: stopped"; fi
          if alive oidc; then echo "SPID/CIE stand-in: running, $(cut -d= -f2 "$OIDC_ENV")"; else echo "SPID/CIE stand-in: stopped"; fi ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
