#!/usr/bin/env bash
# Production mode on one machine (README): every role of deploy/run.sh in one go — release, then a Celery
# worker and the one beat in the background and gunicorn in the foreground. Several machines start the
# roles separately (deploy/run.sh ROLE, or the units in deploy/systemd/). The release step connects as the
# owner of the tables (DATABASE_OWNER_URL), the others as the app's role (DATABASE_URL).
exec "$(dirname "$0")/run.sh" all
