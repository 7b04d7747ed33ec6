#!/bin/sh
# Start or stop a throwaway PostgreSQL 15 cluster for the test suite and the benchmarks.
#   tests/postgres.sh start DIR PORT   → prints the DATABASE_URL to use
#   tests/postgres.sh stop DIR
# PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` system user
# (created if missing). fsync is off: the data is thrown away.
set -eu
action=$1
dir=$2
bin=$(dirname "$(command -v pg_ctl 2>/dev/null || echo /usr/lib/postgresql/15/bin/pg_ctl)")
[ -x "$bin/pg_ctl" ] || bin=/usr/lib/postgresql/15/bin
if [ ! -x "$bin/pg_ctl" ]; then
  echo "PostgreSQL 15 is not installed. Install it with: sudo apt-get install postgresql-15" >&2
  exit 1
fi
as_owner() {
  if [ "$(id -u)" = "0" ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}
case "$action" in
  start)
    port=$3
    rm -rf "$dir" && mkdir -p "$dir"
    [ "$(id -u)" = "0" ] && { id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres; chown postgres "$dir"; }
    as_owner "$bin/initdb" -D "$dir/data" --auth=trust -E UTF8 -U postgres >/dev/null
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start DIR PORT | stop DIR" >&2
    exit 2
    ;;
esac
