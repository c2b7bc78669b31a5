#!/usr/bin/env bash
# A throwaway PostgreSQL server for the question-log tests: a new cluster in a temporary folder, owned by the
# 'postgres' user when run as root, listening on a Unix socket in that folder only (no TCP port to collide with).
#   eval "$(bash .ci/postgres.sh start)"   # exports CAREERBOT_TEST_POSTGRES (the DSN the tests read)
#   bash .ci/postgres.sh stop              # stops it and removes the folder
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bindir/initdb" ] || { echo "postgres.sh: no PostgreSQL server installed (Debian package postgresql)" >&2; exit 1; }
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "${1:-}" in
  start)
    dir=$(mktemp -d /tmp/careerbot-pg.XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    as_owner "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-sync >"$dir/initdb.log" 2>&1
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-k $dir -c listen_addresses='' -c fsync=off -c full_page_writes=off" start >/dev/null
    as_owner "$bindir/createdb" -h "$dir" -U postgres careerbot_test
    echo "export CAREERBOT_TEST_POSTGRES='postgresql://postgres@/careerbot_test?host=$dir'"
    echo "export CAREERBOT_TEST_POSTGRES_DIR='$dir'"
    ;;
  stop)
    dir=${CAREERBOT_TEST_POSTGRES_DIR:-}
    [ -n "$dir" ] && [ -d "$dir/data" ] || exit 0
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: bash .ci/postgres.sh start|stop" >&2
    exit 2
    ;;
esac
