#!/usr/bin/env bash
# Everything `make bench` needs beyond hutch's own venv, installed only when missing:
#   - Python: bench/requirements.txt into the venv (moto server, matplotlib, py-spy);
#   - npm: cognito-local from bench/node's committed lock file (npm ci);
#   - Debian: wrk (load generator), nginx (the transfer baseline, with its WebDAV module), curl.
# Usage: bench/install.sh VENV_BIN
set -euo pipefail
bin=${1:?usage: bench/install.sh VENV_BIN}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

stamp="$bin/../.bench-installed"
if [[ ! -f $stamp || $here/requirements.txt -nt $stamp ]]; then
    "$bin/python" -m pip install --quiet -c "$root/constraints.txt" -r "$here/requirements.txt"
    touch "$stamp"
fi

node_stamp="$here/node/node_modules/.installed"
if [[ ! -f $node_stamp || $here/node/package-lock.json -nt $node_stamp ]]; then
    (cd "$here/node" && npm ci --no-audit --no-fund --loglevel=error)
    touch "$node_stamp"
fi

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
command -v curl >/dev/null || missing+=(curl)
if ((${#missing[@]})); then
    sudo_cmd=()
    [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
