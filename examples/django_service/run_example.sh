#!/usr/bin/env bash
# Start the example service, drive every error kind once, stop the service.
#
#   FAULTLINE_DSN=http://<key>@127.0.0.1:8990/1 examples/django_service/run_example.sh
#
# Env: FAULTLINE_DSN (without it the service runs but reports nothing),
#      PORT (default 8000), UPSTREAM_URL (default: a closed local port),
#      PYTHON (default /usr/bin/python3: Debian's packages live there).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHON="${PYTHON:-/usr/bin/python3}"
PORT="${PORT:-8000}"
BASE="http://127.0.0.1:${PORT}"
LOG="${SERVICE_LOG:-$(mktemp -t django_service.XXXXXX.log)}"

if [[ -z "${FAULTLINE_DSN:-}" ]]; then
  echo "warning: FAULTLINE_DSN is not set; the service will report nothing" >&2
fi

"$PYTHON" -c 'import django, rest_framework, pydantic, sentry_sdk, requests' 2>/dev/null || {
  echo "missing Python packages; install: apt-get install -y --no-install-recommends $(tr '\n' ' ' < "$HERE/debian-packages.txt")" >&2
  exit 2
}

cd "$HERE"
export FAULTLINE_DSN="${FAULTLINE_DSN:-}"
"$PYTHON" manage.py runserver --noreload "127.0.0.1:${PORT}" >"$LOG" 2>&1 &
SERVER_PID=$!

stop_server() {
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  wait "$SERVER_PID" 2>/dev/null || true
}
trap stop_server EXIT

echo "service: pid $SERVER_PID on $BASE, log $LOG"
for i in $(seq 1 100); do
  if "$PYTHON" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "$BASE/healthz" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "service exited early:" >&2; cat "$LOG" >&2; exit 1
  fi
  if [[ $i -eq 100 ]]; then echo "service did not answer on $BASE" >&2; cat "$LOG" >&2; exit 1; fi
  sleep 0.2
done

status=0
"$PYTHON" "$HERE/drive_errors.py" "$BASE" || status=$?

# Every capture already calls sentry_sdk.flush() before the response returns;
# this pause is only a safety margin for anything still in the SDK's queue.
sleep "${FLUSH_GRACE:-1}"
exit "$status"
