#!/usr/bin/env bash
# A streaming read replica of the machine's PostgreSQL on loopback, for the replica tests
# (tests/test_replica.py) and for trying DATABASE_REPLICA_URL locally. Idempotent and fast:
# a replica already running is left alone; an existing copy is restarted, not copied again.
#
#   bash scripts/start_replica.sh      # prints the DATABASE_REPLICA_URL to use
#
# Run as root (CI) or as the postgres user. The primary must have wal_level replica or
# logical (Debian's default) and free WAL senders; the script lets loopback connections
# replicate (one line in the primary's pg_hba.conf, then a reload) when they may not.
set -euo pipefail

PRIMARY_HOST="${REPLICA_PRIMARY_HOST:-127.0.0.1}"
PRIMARY_PORT="${REPLICA_PRIMARY_PORT:-5432}"
PORT="${REPLICA_PORT:-5433}"
DATA="${REPLICA_DATA:-/var/lib/postgresql/taskforce-replica}"
PSQL=(psql -X -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -d postgres -At)
# The server programs of the primary's major version (Debian: /usr/lib/postgresql/15/bin).
BIN="${REPLICA_BIN:-/usr/lib/postgresql/$(("$("${PSQL[@]}" -c 'show server_version_num')" / 10000))/bin}"

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

url="postgres://postgres@127.0.0.1:${PORT}/postgres"

wal_level="$("${PSQL[@]}" -c 'show wal_level')"
if [ "$wal_level" = minimal ]; then
    echo "The primary has wal_level = minimal: set it to replica and restart it (a replica needs the WAL)." >&2
    exit 1
fi
allowed="$("${PSQL[@]}" -c "select count(*) from pg_hba_file_rules where 'replication' = any(database) and (address = '127.0.0.1' or type = 'local')")"
if [ "$allowed" = 0 ]; then
    hba="$("${PSQL[@]}" -c 'show hba_file')"
    echo "host replication all 127.0.0.1/32 trust" >>"$hba"
    "${PSQL[@]}" -c 'select pg_reload_conf()' >/dev/null
fi

streaming() {
    # The replica receives the primary's WAL (a copy left stopped too long cannot catch up).
    for _ in $(seq 40); do
        [ "$(psql -X -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -Atc \
            "select count(*) from pg_stat_wal_receiver where status = 'streaming'" 2>/dev/null)" = 1 ] && return 0
        sleep 0.5
    done
    return 1
}

if [ "$(psql -X -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -Atc 'select pg_is_in_recovery()' 2>/dev/null)" = t ] \
    && streaming; then
    echo "$url"
    exit 0
fi

if [ -f "$DATA/standby.signal" ]; then
    as_postgres "$BIN/pg_ctl" -D "$DATA" -l "$DATA/replica.log" -w -t 60 start >/dev/null || true
    if streaming; then
        echo "$url"
        exit 0
    fi
    echo "The copy in $DATA does not stream from the primary: making it again." >&2
    as_postgres "$BIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null 2>&1 || true
    rm -f "$DATA/standby.signal"
fi
if [ ! -f "$DATA/standby.signal" ]; then
    rm -rf "$DATA"
    mkdir -p "$DATA"
    chown postgres:postgres "$DATA" 2>/dev/null || true
    chmod 700 "$DATA"
    as_postgres "$BIN/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -D "$DATA" -R -X stream \
        --checkpoint=fast
    # Debian keeps the configuration in /etc, outside the data directory the backup copied.
    as_postgres tee "$DATA/postgresql.conf" >/dev/null <<CONF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '/tmp'
hot_standby = on
max_connections = 100
# A report on the replica is not cancelled by the primary's vacuum for up to a minute.
max_standby_streaming_delay = 60s
hot_standby_feedback = on
CONF
    as_postgres tee "$DATA/pg_hba.conf" >/dev/null <<HBA
local all all trust
host all all 127.0.0.1/32 trust
HBA
    as_postgres touch "$DATA/pg_ident.conf"
fi
as_postgres "$BIN/pg_ctl" -D "$DATA" -l "$DATA/replica.log" -w -t 60 start >/dev/null
if ! streaming; then
    echo "The replica on port $PORT does not stream from the primary; see $DATA/replica.log." >&2
    exit 1
fi
echo "$url"
