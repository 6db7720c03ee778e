#!/usr/bin/env bash
# Installs what the tests need beyond npm packages, from Debian's packages: Chromium (the web
# inbox's browser tests), the PostgreSQL client tools (psql and pg_dump, which must not be older
# than the embedded 15.x server), pgbench (postgresql-contrib, for `npm run bench`), and bubblewrap
# with strace (the shell sandbox test runs allowed command lines in bwrap and records them).
# Runs before `npm test` (the `pretest` script); does nothing when everything is present.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
command -v pg_dump >/dev/null 2>&1 || missing+=(postgresql-client)
command -v pgbench >/dev/null 2>&1 || missing+=(postgresql-contrib)
# The sandbox test skips itself (saying why) without these, so they are installed only where we can.
optional=()
command -v bwrap >/dev/null 2>&1 || optional+=(bubblewrap)
command -v strace >/dev/null 2>&1 || optional+=(strace)
can_install=no
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then can_install=yes; fi
if [ ${#optional[@]} -gt 0 ]; then
  if [ "$can_install" = yes ]; then missing+=("${optional[@]}"); else echo "the shell sandbox test will be skipped: install ${optional[*]} (Debian) to run it" >&2; fi
fi
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
packages=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
if [ "$can_install" = no ]; then
  echo "the tests need these Debian packages: ${packages}; install them (as root: apt-get install -y ${packages})" >&2
  exit 1
fi
echo "installing test prerequisites from Debian: ${packages}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends ${packages} >/dev/null
