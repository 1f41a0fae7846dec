#!/usr/bin/env bash
# Installs the Debian packages the tests use (needs root or sudo). Idempotent: what is present is left alone.
# The JVM services (Kafka, Cassandra) bring their own jars from npm; they need only a Java runtime.
set -euo pipefail
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
need=()
have chromium || need+=(chromium)
have haproxy || need+=(haproxy)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
# MaxMind's writer: the GeoIP tests write small City and Country databases with it.
have libmaxmind-db-writer-perl || need+=(libmaxmind-db-writer-perl)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
