#!/usr/bin/env bash
# The one command that runs every test: installs what the tests need, starts the real servers on loopback,
# builds, runs all test projects, prints a summary, and stops the servers again.
#   bash scripts/test.sh [extra dotnet test arguments]
# With ANALYTICS_REQUIRE_SERVICES=1 (CI) an integration test whose server is missing fails instead of returning early.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/setup.sh
bash scripts/services.sh up
trap 'bash scripts/services.sh down || true' EXIT

results="$root/tests/artifacts/results"
rm -rf "$results"; mkdir -p "$results"
dotnet build Analytics.sln -c Release -nologo -clp:ErrorsOnly
status=0
# -m:1 runs the test projects one after another: they start JVMs, browsers and silos, and 2 cores are few.
dotnet test Analytics.sln -c Release --no-build -m:1 --logger "trx" --results-directory "$results" "$@" || status=$?

# One closing line over every test project: "N passed, N failed".
/usr/bin/env python3 - "$results" <<'PY'
import glob, re, sys
passed = failed = skipped = 0
for trx in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    text = open(trx, encoding="utf-8").read()
    m = re.search(r'<Counters [^>]*\bpassed="(\d+)"[^>]*\bfailed="(\d+)"', text)
    t = re.search(r'<Counters [^>]*\btotal="(\d+)"[^>]*\bexecuted="(\d+)"', text)
    if m:
        passed += int(m.group(1)); failed += int(m.group(2))
    if t:
        skipped += int(t.group(1)) - int(t.group(2))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
