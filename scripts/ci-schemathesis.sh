#!/usr/bin/env bash
# A bounded schemathesis run against the API, as an NGO user and as the secretariat.
#
# Seeds a fresh demo database (SQLite, under var/ci/schemathesis/), serves it with gunicorn on
# a free local port, runs schemathesis once per role with a time budget, and stops the server
# it started (by its PID). Fails on a server error or on a response that does not match the
# OpenAPI schema (/api/v1/schema/). Needs .venv (make install). Takes about 3-4 minutes;
# ST_MAX_TIME (seconds per role) and ST_MAX_EXAMPLES tune it. Reports: var/ci/schemathesis/.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY="$ROOT/.venv/bin/python"
ST="$ROOT/.venv/bin/schemathesis"
DIR="$ROOT/var/ci/schemathesis"
MAX_TIME=${ST_MAX_TIME:-60}
MAX_EXAMPLES=${ST_MAX_EXAMPLES:-15}
CHECKS=not_a_server_error,response_schema_conformance,content_type_conformance,status_code_conformance

[ -x "$ST" ] || { echo "schemathesis is not installed in .venv (pip install -e '.[dev]')" >&2; exit 2; }

rm -rf "$DIR"
mkdir -p "$DIR/mail" "$DIR/media"
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"

# A production-like process (DEBUG off) on plain HTTP, eager tasks, e-mail to files. Two-factor
# enforcement is off: the secretariat's token would otherwise reach only the enrolment
# endpoints (the enforcement has its own tests in tests/accounts/test_mfa_web.py).
export DJANGO_SETTINGS_MODULE=fundapp.settings DEBUG=0 MFA_ENFORCED=0 SECURE_SSL_REDIRECT=0 \
    SECURE_HSTS_SECONDS=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 \
    SECRET_KEY="ci-schemathesis-$(date +%s)-$RANDOM$RANDOM-not-a-production-key" \
    DATABASE_URL="sqlite:///$DIR/db.sqlite3" REDIS_URL="" \
    ALLOWED_HOSTS=127.0.0.1,localhost SITE_URL="$BASE" MEDIA_ROOT="$DIR/media" \
    STATIC_ROOT="$DIR/static" \
    EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend EMAIL_FILE_PATH="$DIR/mail" \
    LOG_LEVEL=WARNING
unset EMAIL_URL

echo "schemathesis: $(date -u +%T) seeding the demo database in $DIR"
DEBUG=1 "$PY" manage.py migrate --noinput -v 0
DEBUG=1 "$PY" manage.py seed_demo > "$DIR/seed.log"  # refuses to run with DEBUG off
"$PY" manage.py collectstatic --noinput -v 0  # DEBUG off: pages need the manifest

token_for() {
    "$PY" manage.py shell -v 0 -c "
from django.contrib.auth import get_user_model
from fundapp.accounts.services import token_create
print(token_create(user=get_user_model().objects.get(username='$1'), name='schemathesis')[1])
" 2>/dev/null | tail -n 1
}
NGO_TOKEN=$(token_for ngo1)
SEC_TOKEN=$(token_for secretariat)

SERVER_PID=""
stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
}
trap stop_server EXIT INT TERM

# One sync worker: SQLite serialises writes anyway, and errors are then easy to read. No
# request-line limit: long generated query strings should reach the app, not a 414 from gunicorn.
"$ROOT/.venv/bin/gunicorn" fundapp.wsgi:application --bind "127.0.0.1:$PORT" --workers 1 \
    --limit-request-line 0 --timeout 60 --access-logfile "$DIR/access.log" > "$DIR/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
    if "$PY" -c "import urllib.request, sys; urllib.request.urlopen('$BASE/api/v1/schema/', timeout=2)" 2>/dev/null; then
        break
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "the server did not start:"; tail -n 40 "$DIR/server.log"; exit 1; }
    sleep 1
done

status=0
run_role() {
    local role=$1 token=$2
    echo "schemathesis: $(date -u +%T) as $role (at most ${MAX_TIME}s, ${MAX_EXAMPLES} examples per operation)"
    # Signing in and out is left out: fuzzing it would revoke the token the run is using.
    # Run from $DIR: schemathesis keeps a cache folder (.schemathesis/) in its working directory.
    if ! (cd "$DIR" && "$ST" run "$BASE/api/v1/schema/" \
            --header "Authorization: Token $token" \
            --checks "$CHECKS" \
            --exclude-path-regex '^/api/v1/auth/' \
            --phases examples,coverage,fuzzing \
            --max-examples "$MAX_EXAMPLES" --max-time "$MAX_TIME" --seed 11 \
            --workers 1 --request-timeout 30 --no-shrink --generation-database none \
            --report junit --report-junit-path "$DIR/$role.junit.xml" \
            --output-truncate true) > "$DIR/$role.log" 2>&1; then
        status=1
        echo "schemathesis: FAILED as $role; the end of $DIR/$role.log:"
        tail -n 80 "$DIR/$role.log"
    else
        tail -n 8 "$DIR/$role.log"
    fi
}
run_role ngo "$NGO_TOKEN"
run_role secretariat "$SEC_TOKEN"

if grep -q "Internal Server Error" "$DIR/server.log"; then
    echo "schemathesis: the server logged errors (see $DIR/server.log)"
    status=1
fi
stop_server
exit $status
