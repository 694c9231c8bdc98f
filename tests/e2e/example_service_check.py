#!/usr/bin/python3
"""End-to-end check: the Django example service reporting into a real Faultline.

    /usr/bin/python3 tests/e2e/example_service_check.py --faultline PATH/TO/faultline --workdir TMPDIR

1. starts ``faultline --headless --db WORKDIR/f.db --listen 127.0.0.1:<free port>``
2. reads the default project's DSN (``faultline projects --db ... --json``)
3. starts examples/django_service (``/usr/bin/python3 manage.py runserver``)
   with FAULTLINE_DSN, and runs its drive_errors.py against it
4. polls ``faultline events --db ... --json --limit 0`` (up to --wait seconds)
   and asserts:
   - a ZeroDivisionError event with a page 500.html (text/html)
   - the Pydantic ValidationError with validation_errors naming the fields
   - the DRF ValidationError with http_status 400
   - the upstream failure with http_status 502
   - the handler500 (LegacyExportError) event with a page 500.html
Both processes are always stopped. Exit 0 on success, 1 on a failed
assertion, 2 on a setup problem (missing packages, binary, ports...).
Needs Debian's python3-django python3-djangorestframework python3-pydantic
python3-sentry-sdk python3-requests (examples/django_service/debian-packages.txt).
"""
import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
EXAMPLE = os.path.join(REPO, "examples", "django_service")
PYTHON = "/usr/bin/python3"

PYDANTIC_FIELDS = {"email", "username", "age", "password"}


class SetupError(Exception):
    pass


def log(msg):
    print("[example_service_check] " + msg, flush=True)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_accepts(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def tail(path, lines=40):
    try:
        with open(path, "r", errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return "(no log)"


def start(cmd, logfile, cwd=None, env=None):
    out = open(logfile, "wb")
    try:
        # Own process group, so stop() can end it and any children by its id.
        return subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    finally:
        out.close()


def stop(proc, name):
    if proc is None or proc.poll() is not None:
        return
    log("stopping %s (pid %d)" % (name, proc.pid))
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            try:
                proc.send_signal(sig)
            except ProcessLookupError:
                return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def run_cli(faultline, args, timeout=30):
    cmd = [faultline] + args
    res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                         stdin=subprocess.DEVNULL)
    if res.returncode != 0:
        raise RuntimeError("%s exited %d: %s" % (" ".join(cmd), res.returncode,
                                                 res.stderr.decode("utf-8", "replace").strip()[:500]))
    return res.stdout.decode("utf-8", "replace")


def parse_json_lines(text):
    """One JSON object per line (the contract); also tolerates a JSON array."""
    text = text.strip()
    if not text:
        return []
    if text.startswith("["):
        try:
            data = json.loads(text)
            return [d for d in data if isinstance(d, dict)]
        except ValueError:
            pass
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            continue  # a stray log line must not break the check
        if isinstance(obj, dict):
            out.append(obj)
        elif isinstance(obj, list):
            out.extend(o for o in obj if isinstance(o, dict))
    return out


def wait_for(predicate, timeout, interval=0.2):
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


# --- event predicates -------------------------------------------------------

def as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def exc_type(ev):
    return str(ev.get("exception_type") or "")


def type_is(ev, name):
    t = exc_type(ev)
    return t == name or t.endswith("." + name) or (not t and name in str(ev.get("title") or ""))


def has_html_page(ev, filename="500.html"):
    for page in ev.get("pages") or []:
        if not isinstance(page, dict):
            continue
        if page.get("filename") == filename and str(page.get("content_type") or "").startswith("text/html"):
            return True
    return False


def loc_parts(loc):
    if isinstance(loc, list):
        return {str(p) for p in loc}
    if isinstance(loc, str):
        return set(loc.replace("/", ".").split(".")) | {loc}
    return {str(loc)}


def validation_fields(ev):
    fields = set()
    for issue in ev.get("validation_errors") or []:
        if isinstance(issue, dict):
            fields |= loc_parts(issue.get("loc"))
    return fields


def is_pydantic(ev):
    text = (str(ev.get("title") or "") + " " + str(ev.get("message") or "") + " "
            + str(ev.get("exception_value") or ""))
    return type_is(ev, "ValidationError") and (as_int(ev.get("http_status")) == 422
                                              or "SignupRequest" in text)


def is_drf(ev):
    return type_is(ev, "ValidationError") and not is_pydantic(ev)


CHECKS = [
    ("ZeroDivisionError event with page 500.html text/html",
     lambda evs: [e for e in evs if type_is(e, "ZeroDivisionError")],
     lambda e: has_html_page(e)),
    ("Pydantic ValidationError event with validation_errors locs %s" % sorted(PYDANTIC_FIELDS),
     lambda evs: [e for e in evs if is_pydantic(e)],
     lambda e: PYDANTIC_FIELDS <= validation_fields(e)),
    ("DRF ValidationError event with http_status 400",
     lambda evs: [e for e in evs if is_drf(e)],
     lambda e: as_int(e.get("http_status")) == 400),
    ("upstream ConnectionError event with http_status 502",
     lambda evs: [e for e in evs if type_is(e, "ConnectionError") or type_is(e, "Timeout")
                  or type_is(e, "ConnectTimeout") or type_is(e, "ReadTimeout")],
     lambda e: as_int(e.get("http_status")) == 502),
    ("handler500 LegacyExportError event with page 500.html text/html",
     lambda evs: [e for e in evs if type_is(e, "LegacyExportError")],
     lambda e: has_html_page(e)),
]


def evaluate(events):
    """[(name, ok, explanation)]"""
    results = []
    for name, select, check in CHECKS:
        candidates = select(events)
        if not candidates:
            results.append((name, False, "no such event among %d events" % len(events)))
            continue
        if any(check(e) for e in candidates):
            results.append((name, True, "ok"))
            continue
        e = candidates[0]
        results.append((name, False, "found %d candidate(s) but none passes; first: %s" % (
            len(candidates), json.dumps({k: e.get(k) for k in (
                "event_id", "title", "exception_type", "http_status", "validation_errors", "pages")})[:800])))
    return results


def summarize(ev):
    return "%s %-22s http=%s pages=%s verrs=%d  %s" % (
        str(ev.get("event_id", ""))[:8], exc_type(ev)[:22], ev.get("http_status"),
        [p.get("filename") for p in ev.get("pages") or [] if isinstance(p, dict)],
        len(ev.get("validation_errors") or []), str(ev.get("title") or "")[:70])


# --- main ----------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--faultline", required=True, help="path to the faultline binary")
    ap.add_argument("--workdir", required=True, help="scratch directory (db, logs)")
    ap.add_argument("--wait", type=float, default=15.0, help="seconds to wait for events to land")
    ap.add_argument("--startup-timeout", type=float, default=20.0)
    args = ap.parse_args()

    faultline = os.path.abspath(args.faultline)
    workdir = os.path.abspath(args.workdir)
    os.makedirs(workdir, exist_ok=True)
    db = os.path.join(workdir, "f.db")
    # A fresh database each run: the assertions count events.
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    fl_log = os.path.join(workdir, "faultline.log")
    svc_log = os.path.join(workdir, "django_service.log")

    # SIGTERM (e.g. ctest timeout) -> normal exit path, so finally: stops both.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(3))

    fl_proc = svc_proc = None
    try:
        if not (os.path.isfile(faultline) and os.access(faultline, os.X_OK)):
            raise SetupError("faultline binary not found or not executable: %s" % faultline)
        if not os.path.isfile(os.path.join(EXAMPLE, "manage.py")):
            raise SetupError("example service not found at %s" % EXAMPLE)
        probe = subprocess.run([PYTHON, "-c", "import django, rest_framework, pydantic, sentry_sdk, requests"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if probe.returncode != 0:
            raise SetupError("Python packages missing for %s (install %s): %s" % (
                PYTHON, os.path.join(EXAMPLE, "debian-packages.txt"),
                probe.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]))

        # 1. Faultline, headless.
        fl_port = free_port()
        env = dict(os.environ)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        cmd = [faultline, "--headless", "--db", db, "--listen", "127.0.0.1:%d" % fl_port]
        log("starting " + " ".join(cmd))
        fl_proc = start(cmd, fl_log, env=env)
        if not wait_for(lambda: port_accepts(fl_port) or fl_proc.poll() is not None, args.startup_timeout) \
                or fl_proc.poll() is not None:
            raise SetupError("faultline did not start listening on 127.0.0.1:%d (exit code %s); log:\n%s" % (
                fl_port, fl_proc.poll(), tail(fl_log)))
        log("faultline listening on 127.0.0.1:%d" % fl_port)

        # 2. The default project's DSN.
        projects = []

        def read_projects():
            nonlocal projects
            try:
                projects = parse_json_lines(run_cli(faultline, ["projects", "--db", db, "--json"]))
            except Exception as exc:  # db may still be being created
                log("projects: %s" % exc)
                projects = []
            return bool(projects)

        if not wait_for(read_projects, 10, interval=0.5):
            raise SetupError("`faultline projects --db %s --json` listed no project" % db)
        project = next((p for p in projects if str(p.get("name", "")).lower() == "default"), projects[0])
        key, pid = project.get("public_key"), project.get("id")
        listed = project.get("dsn")
        # Use the port we actually started it on, whatever host the listing says.
        dsn = "http://%s@127.0.0.1:%d/%s" % (key, fl_port, pid) if key and pid is not None else listed
        if not dsn:
            raise SetupError("project has neither public_key/id nor dsn: %r" % project)
        log("project %r: DSN %s (listed: %s)" % (project.get("name"), dsn, listed))

        # 3. The example service.
        svc_port = free_port()
        svc_env = dict(os.environ)
        svc_env.update({"FAULTLINE_DSN": dsn, "PYTHONUNBUFFERED": "1", "FAULTLINE_FLUSH": "1"})
        svc_env.setdefault("UPSTREAM_URL", "http://127.0.0.1:%d/inventory" % free_port())
        cmd = [PYTHON, "manage.py", "runserver", "--noreload", "127.0.0.1:%d" % svc_port]
        log("starting example service: " + " ".join(cmd))
        svc_proc = start(cmd, svc_log, cwd=EXAMPLE, env=svc_env)
        base = "http://127.0.0.1:%d" % svc_port

        def healthy():
            if svc_proc.poll() is not None:
                return True
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).read()
                return True
            except Exception:
                return False

        if not wait_for(healthy, args.startup_timeout) or svc_proc.poll() is not None:
            raise SetupError("example service did not answer on %s (exit %s); log:\n%s" % (
                base, svc_proc.poll(), tail(svc_log)))

        drive = subprocess.run([PYTHON, os.path.join(EXAMPLE, "drive_errors.py"), base],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=180)
        drive_out = drive.stdout.decode("utf-8", "replace")
        print(drive_out, flush=True)
        drive_ok = drive.returncode == 0
        if not drive_ok:
            log("FAIL: drive_errors.py exited %d (unexpected statuses above)" % drive.returncode)

        # 4. Wait for the events and check them.
        events, results = [], []

        def all_landed():
            nonlocal events, results
            try:
                events = parse_json_lines(run_cli(faultline, ["events", "--db", db, "--json", "--limit", "0"]))
            except Exception as exc:
                log("events: %s" % exc)
                return False
            results = evaluate(events)
            return all(ok for _, ok, _ in results)

        wait_for(all_landed, args.wait, interval=0.5)

        log("%d event(s) in Faultline:" % len(events))
        for ev in events:
            print("    " + summarize(ev))
        try:
            pages = run_cli(faultline, ["pages", "--db", db, "--json"]).strip()
            log("pages: " + (pages[:600] or "(none)"))
        except Exception as exc:
            log("pages: %s" % exc)

        failed = 0
        for name, ok, why in results:
            print("%s %s%s" % ("PASS" if ok else "FAIL", name, "" if ok else "\n     " + why), flush=True)
            failed += 0 if ok else 1
        if not drive_ok:
            failed += 1
        if failed:
            log("%d check(s) failed; faultline log tail:\n%s\nservice log tail:\n%s" % (
                failed, tail(fl_log), tail(svc_log)))
            return 1
        log("all checks passed")
        return 0
    except SetupError as exc:
        log("SETUP ERROR: %s" % exc)
        return 2
    except subprocess.TimeoutExpired as exc:
        log("TIMEOUT: %s" % exc)
        return 1
    finally:
        stop(svc_proc, "example service")
        stop(fl_proc, "faultline")


if __name__ == "__main__":
    sys.exit(main())
