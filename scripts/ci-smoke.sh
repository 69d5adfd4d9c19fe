#!/usr/bin/env bash
# What a newcomer and an operator do first, checked from a fresh clone:
#   1. `make demo` on a free port: the login page answers, ngo1 signs in and sees its
#      dashboard, and the demo's e-mails link to that port;
#   2. the README's production recipe (DEBUG=0, collectstatic, gunicorn, PostgreSQL, Redis,
#      one Celery worker): a page and its stylesheet are served, and the worker delivers an
#      e-mail.
# Usage: scripts/ci-smoke.sh PGPORT REDISPORT   (services already listening on 127.0.0.1)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PGPORT=${1:-5432}
REDISPORT=${2:-6379}
WORK=$(mktemp -d /tmp/fundapp-smoke.XXXXXX)
PIDS=()

say() { printf '  smoke: %s\n' "$*"; }
fail() { echo "SMOKE FAILED: $*" >&2; for f in "$WORK"/*.log; do echo "--- $f" >&2; tail -n 40 "$f" >&2; done; exit 1; }
stop_all() {
  for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
  sleep 1
  for pid in "${PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
}
trap stop_all EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for() {  # URL SECONDS PID [curl args…]: 200 before the time is up and while PID lives
  local url=$1 seconds=$2 pid=$3; shift 3
  for _ in $(seq "$seconds"); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$@" "$url" || true)
    [ "$code" = 200 ] && return 0
    kill -0 "$pid" 2>/dev/null || { echo "process $pid ended before $url answered" >&2; return 1; }
    sleep 1
  done
  return 1
}

say "fresh clone of $(git -C "$ROOT" rev-parse --short HEAD) into $WORK/fundapp"
git clone -q "$ROOT" "$WORK/fundapp"
cd "$WORK/fundapp"
[ ! -e var ] || fail "the clone already has var/: the first-run check would prove nothing"

# --- 1. make demo -----------------------------------------------------------------------
PORT=$(free_port)
say "make demo PORT=$PORT"
env -u DATABASE_URL -u REDIS_URL -u DEBUG -u SITE_URL \
  setsid make demo PORT="$PORT" >"$WORK/demo.log" 2>&1 &
PIDS+=($!)
BASE="http://127.0.0.1:$PORT"
wait_for "$BASE/accounts/login/" 420 "${PIDS[0]}" || fail "make demo did not serve $BASE/accounts/login/"
grep -q "$BASE" "$WORK/demo.log" || fail "make demo did not print its links on port $PORT"
say "login page answers 200"

JAR="$WORK/cookies.txt"
curl -s -c "$JAR" -o "$WORK/login.html" "$BASE/accounts/login/"
CSRF=$(awk '$6 == "csrftoken" {print $7}' "$JAR")
[ -n "$CSRF" ] || fail "no CSRF cookie on the login page"
code=$(curl -s -b "$JAR" -c "$JAR" -o /dev/null -w '%{http_code}' -e "$BASE/accounts/login/" \
  --data-urlencode "csrfmiddlewaretoken=$CSRF" --data-urlencode "username=ngo1" \
  --data-urlencode "password=${DEMO_PASSWORD:-fundapp-demo}" "$BASE/accounts/login/")
[ "$code" = 302 ] || fail "signing in as ngo1 answered $code, not a redirect"
curl -s -L -b "$JAR" -o "$WORK/dashboard.html" -w '%{http_code} %{url_effective}\n' \
  "$BASE/dashboard/" >"$WORK/dashboard.status"
read -r code landed <"$WORK/dashboard.status"
[ "$code" = 200 ] || fail "ngo1's dashboard answered $code"
case "$landed" in *"/accounts/login/"*) fail "ngo1 was sent back to the login page";; esac
grep -q "ngo1\|Harbour of Hope" "$WORK/dashboard.html" || fail "the dashboard does not show ngo1"
say "ngo1 signed in and landed on $landed"

mails=$(find var/mail -type f 2>/dev/null | wc -l)
[ "$mails" -gt 0 ] || fail "the demo wrote no e-mail to var/mail/"
if grep -rlE '&lt;(p|strong|a |br)' var/mail >/dev/null 2>&1; then
  fail "e-mails in var/mail show escaped HTML tags"
fi
grep -rqs "127.0.0.1:$PORT/" var/mail || fail "no e-mail links to the running site on port $PORT"
if grep -rhoE 'https?://127\.0\.0\.1:[0-9]+' var/mail | grep -qv ":$PORT\$"; then
  fail "some e-mails link to another port than $PORT"
fi
say "$mails e-mails in var/mail, markup intact, links on port $PORT"
stop_all
PIDS=()

# --- 2. production recipe ---------------------------------------------------------------
export DEBUG=0 SECRET_KEY="smoke-$(date +%s)-not-a-real-secret-but-long-enough-for-django"
export ALLOWED_HOSTS=127.0.0.1 SITE_URL=https://fund.example.org
export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/fundapp_smoke"
export REDIS_URL="redis://127.0.0.1:$REDISPORT/13" CELERY_QUEUE="smoke-$$"
export EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend
export EMAIL_FILE_PATH="$WORK/prod-mail" MEDIA_ROOT="$WORK/prod-media" STATIC_ROOT="$WORK/prod-static"
psql -q -h 127.0.0.1 -p "$PGPORT" -U postgres -c "DROP DATABASE IF EXISTS fundapp_smoke" >/dev/null
psql -q -h 127.0.0.1 -p "$PGPORT" -U postgres -c "CREATE DATABASE fundapp_smoke" >/dev/null
.venv/bin/python manage.py migrate --noinput -v0 || fail "migrate (DEBUG=0, PostgreSQL)"
.venv/bin/python manage.py collectstatic --noinput -v0 || fail "collectstatic"
GPORT=$(free_port)
setsid .venv/bin/gunicorn fundapp.wsgi --workers 2 --bind "127.0.0.1:$GPORT" \
  --no-control-socket >"$WORK/gunicorn.log" 2>&1 &
PIDS+=($!)
setsid .venv/bin/celery -A fundapp worker --loglevel=INFO --concurrency=1 -Q "$CELERY_QUEUE" \
  --without-gossip --without-mingle >"$WORK/worker.log" 2>&1 &
PIDS+=($!)
PROD="http://127.0.0.1:$GPORT"
HDR=(-H "X-Forwarded-Proto: https")
wait_for "$PROD/accounts/login/" 60 "${PIDS[0]}" "${HDR[@]}" || fail "gunicorn did not serve the login page"
curl -s "${HDR[@]}" -o "$WORK/prod-login.html" "$PROD/accounts/login/"
css=$(grep -oE 'href="[^"]+\.css"' "$WORK/prod-login.html" | head -1 | sed 's/href="//; s/"$//')
[ -n "$css" ] || fail "the login page links no stylesheet"
ctype=$(curl -s "${HDR[@]}" -o "$WORK/style.css" -w '%{http_code} %{content_type}' "$PROD$css")
case "$ctype" in "200 text/css"*) ;; *) fail "stylesheet $css answered: $ctype";; esac
[ -s "$WORK/style.css" ] || fail "stylesheet $css is empty"
say "gunicorn serves the login page and $css"

for _ in $(seq 30); do grep -q "ready" "$WORK/worker.log" && break; sleep 1; done
.venv/bin/python manage.py shell -c '
from django.db import transaction
from fundapp.accounts.models import User
from fundapp.notifications.services import notify
user, _ = User.objects.get_or_create(username="smoke", defaults={"email": "smoke@example.org"})
with transaction.atomic():
    notify(recipients=[user], kind="organisation_verified",
           data={"organisation": "Smoke Test NGO", "reason": "", "url": "/organisation/"})
' || fail "could not write a notification"
for _ in $(seq 60); do
  [ -n "$(find "$WORK/prod-mail" -type f 2>/dev/null)" ] && break
  sleep 1
done
[ -n "$(find "$WORK/prod-mail" -type f 2>/dev/null)" ] || fail "the worker delivered no e-mail within 60 s"
grep -rqs "Smoke Test NGO" "$WORK/prod-mail" || fail "the delivered e-mail is not the one written"
say "the Celery worker delivered the e-mail"
stop_all
PIDS=()
psql -q -h 127.0.0.1 -p "$PGPORT" -U postgres -c "DROP DATABASE IF EXISTS fundapp_smoke" >/dev/null || true
rm -rf "$WORK"
say "passed"
