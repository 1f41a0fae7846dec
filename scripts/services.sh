#!/usr/bin/env bash
# Starts and stops the real servers the cluster profile and the integration tests use,
# each on loopback, each from its own script in scripts/services/<name>.sh.
#   scripts/services.sh up|down|status [name...]   (no name: every service)
# State (installs, data, logs, pid files) lives under .services/ at the repo root,
# or under $ANALYTICS_SERVICES_DIR.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export ANALYTICS_REPO_ROOT="$(cd "$here/.." && pwd)"
export ANALYTICS_SERVICES_DIR="${ANALYTICS_SERVICES_DIR:-$ANALYTICS_REPO_ROOT/.services}"
mkdir -p "$ANALYTICS_SERVICES_DIR"

action="${1:-}"; shift || true
case "$action" in up|down|status) ;; *) echo "usage: $0 up|down|status [service...]" >&2; exit 2;; esac

all=()
for f in "$here"/services/*.sh; do [ -e "$f" ] && all+=("$(basename "$f" .sh)"); done
names=("$@"); [ ${#names[@]} -gt 0 ] || names=("${all[@]}")

for n in "${names[@]}"; do
  script="$here/services/$n.sh"
  [ -f "$script" ] || { echo "unknown service: $n (known: ${all[*]})" >&2; exit 2; }
  bash "$script" "$action"
done
