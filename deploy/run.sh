#!/usr/bin/env bash
# One entry point for every process role, the same on every machine, configured only by the environment
# (or a .env file beside manage.py):
#
#   deploy/run.sh release   once per deploy, on one machine: migrate, grant_app_role, collectstatic,
#                           check --deploy — as the owner of the tables (DATABASE_OWNER_URL)
#   deploy/run.sh web       gunicorn (WEB_WORKERS × WEB_THREADS, BIND)
#   deploy/run.sh worker    a Celery worker (CELERY_CONCURRENCY); start as many as you like
#   deploy/run.sh beat      the Celery scheduler: exactly one in the whole installation — a second one
#                           finds the lock in Redis taken and exits with status 3
#   deploy/run.sh all       one machine: release, then worker and beat in the background, web in front
#
# deploy/systemd/ holds a unit file per role that calls this script.
#
# Two database roles (README: Production mode): only the release step connects as the owner of the tables
# (DATABASE_OWNER_URL, optional: without it DATABASE_URL's role is the owner and check --deploy warns);
# web, worker and beat connect as the app's role (DATABASE_URL), which cannot truncate, alter or drop.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .env ] && set -a && . ./.env && set +a
: "${DATABASE_URL:?set DATABASE_URL=postgres://…}" "${REDIS_URL:?set REDIS_URL=redis://…}" "${SECRET_KEY:?set SECRET_KEY}"
# The personal-information keys are keys of their own, never derived from SECRET_KEY (README: 配置, 安全).
: "${ID_HASH_KEY:?set ID_HASH_KEY (its own random key, not SECRET_KEY)}" "${PII_ENCRYPTION_KEYS:?set PII_ENCRYPTION_KEYS (README)}"
export STATIC_MANIFEST=true DEBUG=false
# The virtual environment `make install` made, unless VENV names another one.
PY="${VENV:-.venv}/bin/python"
CELERY="${VENV:-.venv}/bin/celery"
role="${1:-}"

# Whatever .env says, only the release step connects as the owner.
export DATABASE_ROLE=app

case "$role" in
  release)
    export DATABASE_ROLE=owner
    $PY manage.py migrate --noinput
    # Again on every release, so the tables this release added get exactly the app role's rights.
    $PY manage.py grant_app_role
    $PY manage.py collectstatic --noinput -v0
    $PY manage.py check --deploy
    ;;
  web)
    exec "${VENV:-.venv}/bin/gunicorn" haidian_contest.wsgi:application -c deploy/gunicorn.conf.py
    ;;
  worker)
    exec $CELERY -A haidian_contest.celery worker -l info --concurrency "${CELERY_CONCURRENCY:-2}" \
      ${CELERY_HOSTNAME:+--hostname "$CELERY_HOSTNAME"}
    ;;
  beat)
    # The schedule file is local state only (last run times); the lock in Redis decides who runs.
    mkdir -p var
    exec $CELERY -A haidian_contest.celery beat -l info --schedule "${BEAT_SCHEDULE_FILE:-var/celerybeat-schedule}"
    ;;
  all)
    "$0" release
    mkdir -p var/log
    "$0" worker >>var/log/worker.log 2>&1 &
    echo $! > var/worker.pid
    "$0" beat >>var/log/beat.log 2>&1 &
    echo $! > var/beat.pid
    exec "$0" web
    ;;
  *)
    echo "usage: deploy/run.sh release|web|worker|beat|all" >&2
    exit 64
    ;;
esac
