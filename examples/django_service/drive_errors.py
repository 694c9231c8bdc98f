#!/usr/bin/python3
"""Hit every error kind of the example service once and print what it answered.

Starts nothing: point it at a running service.

    /usr/bin/python3 drive_errors.py [BASE_URL]      (default http://127.0.0.1:8000)

Exit status 0 when every answer had the expected HTTP status, 1 otherwise.
Uses only the standard library, so it runs anywhere.
"""
import argparse
import json
import sys
import urllib.error
import urllib.request

CASES = [
    # (name, method, path, json body or None, expected status, expected content type prefix)
    ("health check", "GET", "/healthz", None, 200, "application/json"),
    ("pydantic validation (422)", "POST", "/api/signup",
     {"email": "not-an-email", "username": "Bad Name!", "age": 9,
      "password": "short", "password_confirm": "different"}, 422, "application/json"),
    ("DRF serializer validation (400)", "POST", "/api/orders",
     {"sku": "bad-sku", "quantity": 0, "shipping_country": "XX"}, 400, "application/json"),
    ("flaky upstream (502)", "GET", "/api/inventory", None, 502, "application/json"),
    ("unknown path (404 page)", "GET", "/no/such/page", None, 404, "text/html"),
    ("ZeroDivisionError via middleware (500 page)", "GET", "/reports/average", None, 500, "text/html"),
    ("unhandled via handler500 (500 page)", "GET", "/reports/legacy", None, 500, "text/html"),
]


def call(base, method, path, body, timeout):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base.rstrip("/") + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    req.add_header("Accept", "application/json, text/html")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def show(content_type, payload):
    text = payload.decode("utf-8", "replace")
    if content_type.startswith("application/json"):
        try:
            return json.dumps(json.loads(text), indent=2)
        except ValueError:
            return text
    if content_type.startswith("text/html"):
        # Pages are long: show the title and the request id line.
        import re
        title = re.search(r"<title>(.*?)</title>", text, re.S)
        rid = re.search(r'id="request-id">([^<]*)<', text)
        return "HTML page, %d bytes, title %r, request id %s" % (
            len(payload), title.group(1).strip() if title else None, rid.group(1) if rid else None)
    return text[:500]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base_url", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args()

    failures = 0
    for name, method, path, body, expected, ctype in CASES:
        try:
            status, headers, payload = call(args.base_url, method, path, body, args.timeout)
        except Exception as exc:  # connection refused, timeout...
            print("FAIL %-45s %s %s -> no answer: %s" % (name, method, path, exc))
            failures += 1
            continue
        content_type = headers.get("Content-Type", "")
        ok = status == expected and content_type.startswith(ctype)
        failures += 0 if ok else 1
        print("%s %-45s %s %s -> %d %s (expected %d %s) X-Request-ID=%s" % (
            "ok  " if ok else "FAIL", name, method, path, status, content_type, expected, ctype,
            headers.get("X-Request-ID")))
        for line in show(content_type, payload).splitlines():
            print("        " + line)
    print("%d/%d answers as expected" % (len(CASES) - failures, len(CASES)))
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
