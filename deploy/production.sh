#!/usr/bin/env bash
# Production mode on one machine: PostgreSQL + Redis + Celery worker and beat + gunicorn.
# Needs DATABASE_URL, REDIS_URL, SECRET_KEY, ID_HASH_KEY, PII_ENCRYPTION_KEYS, ALLOWED_HOSTS in the environment
# (or in .env); the personal-information keys are keys of their own (README, 配置 and 安全).
# Scale out by starting more of the same against the same PostgreSQL and Redis (README).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .env ] && set -a && . ./.env && set +a
: "${DATABASE_URL:?set DATABASE_URL=postgres://…}" "${REDIS_URL:?set REDIS_URL=redis://…}" "${SECRET_KEY:?set SECRET_KEY}"
: "${ID_HASH_KEY:?set ID_HASH_KEY (its own random key, not SECRET_KEY)}" "${PII_ENCRYPTION_KEYS:?set PII_ENCRYPTION_KEYS (README)}"
export STATIC_MANIFEST=true DEBUG=false
PY=.venv/bin/python
mkdir -p var/log
$PY manage.py migrate --noinput
$PY manage.py collectstatic --noinput -v0
$PY manage.py check --deploy
.venv/bin/celery -A haidian_contest.celery worker -l info --concurrency "${CELERY_CONCURRENCY:-2}" >>var/log/worker.log 2>&1 &
echo $! > var/worker.pid
.venv/bin/celery -A haidian_contest.celery beat -l info --schedule var/celerybeat-schedule >>var/log/beat.log 2>&1 &
echo $! > var/beat.pid
exec .venv/bin/gunicorn haidian_contest.wsgi:application -c deploy/gunicorn.conf.py
