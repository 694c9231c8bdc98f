"""Sends N messages through the unmodified sentry-sdk, one flush after each,
so a rate-limited SDK has seen the 429 before its next capture."""
import sys

import sentry_sdk


def main():
    dsn, count = sys.argv[1], int(sys.argv[2])
    sentry_sdk.init(dsn=dsn, default_integrations=False)
    for i in range(count):
        sentry_sdk.capture_message("flood %d" % i, level="error")
        sentry_sdk.flush(timeout=5)


if __name__ == "__main__":
    main()
