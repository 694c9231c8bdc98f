"""Reports one real exception through the unmodified sentry-sdk to the DSN given.

Run with Debian's /usr/bin/python3 (it sees python3-sentry-sdk)."""
import sys

import sentry_sdk


def divide(numerator, denominator):
    ratio_label = "checkout"
    return numerator / denominator


def handle_order(order_id):
    items_total = 3
    return divide(items_total, 0)


def main():
    sentry_sdk.init(dsn=sys.argv[1], release="shop@1.2.3", environment="e2e", send_default_pii=False)
    sentry_sdk.set_tag("order_kind", "express")
    try:
        handle_order("A-17")
    except ZeroDivisionError:
        sentry_sdk.capture_exception()
    sentry_sdk.capture_message("checkout finished", level="warning")
    sentry_sdk.flush(timeout=10)


if __name__ == "__main__":
    main()
