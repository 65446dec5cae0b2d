#!/bin/sh
# Container entry point: secrets mounted as files (compose.yaml `secrets:`, under /run/secrets)
# become the variables the app reads, then the command runs in this process's place.
# For each NAME below, NAME_FILE names the file; its content (trailing newlines dropped) is NAME.
# Setting both NAME and NAME_FILE is refused: one source per secret.
set -eu
for name in RPSEE_COOKIE_KEY STREAMLIT_SERVER_COOKIE_SECRET PGPASSWORD DATABASE_URL; do
    eval "file=\${${name}_FILE:-}"
    [ -n "$file" ] || continue
    eval "direct=\${${name}:-}"
    if [ -n "$direct" ]; then
        echo "rpsee-entrypoint: both $name and ${name}_FILE are set; set one of them." >&2
        exit 1
    fi
    if [ ! -r "$file" ]; then
        echo "rpsee-entrypoint: cannot read ${name}_FILE ($file)." >&2
        exit 1
    fi
    value="$(cat "$file")"
    if [ -z "$value" ]; then
        echo "rpsee-entrypoint: ${name}_FILE ($file) is empty." >&2
        exit 1
    fi
    export "$name=$value"
    unset "${name}_FILE"
done
exec "$@"
