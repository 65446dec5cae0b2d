#!/bin/sh
# The scheduled backup (compose.yaml service "backup"): `python -m rpsee backup` into
# RPSEE_BACKUP_DIR every RPSEE_BACKUP_INTERVAL_SECONDS, deleting backups older than
# RPSEE_BACKUP_KEEP_DAYS. A failed backup is logged and tried again at the next turn.
# `rpsee-backup-loop --check` is the container's health check: healthy while the newest backup
# is younger than 1.5 intervals (a backup that keeps failing turns the container unhealthy).
set -eu
dir="${RPSEE_BACKUP_DIR:-/backups}"
interval="${RPSEE_BACKUP_INTERVAL_SECONDS:-86400}"
keep_days="${RPSEE_BACKUP_KEEP_DAYS:-30}"
python="${RPSEE_PYTHON:-python}"

if [ "${1:-}" = "--check" ]; then
    minutes=$(( (interval * 3 / 2 + 59) / 60 ))
    newest="$(find "$dir" -maxdepth 1 -name 'rpsee-*.rpsee-backup' -mmin "-$minutes" | head -n 1)"
    if [ -z "$newest" ]; then
        echo "no backup in $dir younger than $minutes minutes" >&2
        exit 1
    fi
    exit 0
fi

while :; do
    out="$dir/rpsee-$(date -u +%Y%m%dT%H%M%SZ).rpsee-backup"
    if "$python" -m rpsee backup --out "$out"; then
        find "$dir" -maxdepth 1 -name 'rpsee-*.rpsee-backup' -mtime "+$keep_days" \
            -print -exec rm -f {} +
    else
        echo "rpsee-backup-loop: backup to $out failed; next try in $interval s" >&2
    fi
    sleep "$interval" &
    wait $!
done
