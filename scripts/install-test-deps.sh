#!/usr/bin/env bash
# Installs what the tests need beyond npm packages, from Debian's packages: Chromium (the web
# inbox's browser tests), the PostgreSQL client tools (psql and pg_dump, which must not be older
# than the embedded 15.x server) and pgbench (postgresql-contrib, for `npm run bench`).
# Runs before `npm test` (the `pretest` script); does nothing when everything is present.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
command -v pg_dump >/dev/null 2>&1 || missing+=(postgresql-client)
command -v pgbench >/dev/null 2>&1 || missing+=(postgresql-contrib)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
packages=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "the tests need these Debian packages: ${packages}; install them (as root: apt-get install -y ${packages})" >&2
  exit 1
fi
echo "installing test prerequisites from Debian: ${packages}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends ${packages} >/dev/null
