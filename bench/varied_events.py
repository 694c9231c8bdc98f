#!/usr/bin/env python3
"""Templates of varied events for envelope.lua, from the captured fixtures.

    bench/varied_events.py OUT_DIR FIXTURE.json...   # prints the templates' paths, comma-separated

Each captured event (a JSON body with an exception or a message) becomes one
template: the event as it is but for its event_id (@EVENT_ID@) and three
markers that envelope.lua fills in per request:
  @ISSUE@  appended to what groups the event (the function of the innermost
           frame that counts, or the message): one of many issues per fixture;
  @TEXT@   before the exception's value: an order number, a request id, or
           for a fixture's hottest issue the names of a tenant, a user and a
           team (words of letters: new words for that issue with most events);
  @ID@     where the text groups the event (a message, an exception without
           frames): an order number or a request id only, which grouping masks.
"""
import json
import pathlib
import sys


def frames_that_count(frames):
    """Grouping counts app frames, or every frame where the SDK marked none."""
    app = [f for f in frames if f.get("in_app")]
    return app or frames


def mark_grouping_frame(frames):
    counted = [f for f in frames_that_count(frames) if f.get("function")]
    if not counted:
        return False
    counted[-1]["function"] += "_@ISSUE@"
    return True


def mark_message(event, marker):
    """The message as grouping reads it (logentry's template first), and as shown."""
    marked = False
    for holder in (event.get("logentry"), event.get("message") if isinstance(event.get("message"), dict) else None):
        if isinstance(holder, dict):
            for key in ("message", "formatted"):
                if isinstance(holder.get(key), str):
                    holder[key] += marker
                    marked = True
    if isinstance(event.get("message"), str):
        event["message"] += marker
        marked = True
    return marked


def template(event):
    """The event with its markers, or None when it has nothing to vary."""
    exception = event.get("exception")
    values = exception.get("values") if isinstance(exception, dict) else exception
    if values:
        primary = values[-1]
        if not isinstance(primary.get("value"), str):
            return None
        if mark_grouping_frame((primary.get("stacktrace") or {}).get("frames") or []):
            primary["value"] = "@TEXT@: " + primary["value"]
        else:  # grouped by type and value: names in the value would each make an issue
            primary["type"] = primary.get("type", "Error") + "_@ISSUE@"
            primary["value"] = "@ID@: " + primary["value"]
        return event
    if not mark_message(event, " @ISSUE@ (@ID@)"):
        return None
    stack = (event.get("stacktrace") or {}).get("frames") or []
    if stack:  # a stack groups it rather than the message
        mark_grouping_frame(stack)
    return event


def main(out_dir, fixtures):
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for path in map(pathlib.Path, fixtures):
        marked = template(json.loads(path.read_text()))
        if marked is None:
            sys.exit(f"{path}: neither an exception with a value nor a message")
        marked["event_id"] = "@EVENT_ID@"  # the event's own: a breadcrumb may carry another
        target = out / path.name
        target.write_text(json.dumps(marked, separators=(",", ":"), ensure_ascii=False))
        paths.append(str(target))
    print(",".join(paths))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
