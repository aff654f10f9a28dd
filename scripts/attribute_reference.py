"""An independent reference for `flowguard attribute`, with confluent-kafka.

Reads the orders and clicks topics whole, computes the credit of every order the simple way (all of
the user's events at hand, no state, no watermarks), and checks the job's output topic against it
record for record. Also writes the hand-made cases of the test and checks `simulate --truth`.

  attribute_reference.py cases BOOTSTRAP                 write the hand-made cases, print their count
  attribute_reference.py wait BOOTSTRAP SECONDS [opts]   wait until the output holds a record per order
  attribute_reference.py check BOOTSTRAP [opts]          compare the output with the reference; exit 1 on any difference
  attribute_reference.py truth BOOTSTRAP --truth FILE    check one record per order and the funnel's truth only
options: --click-window-ms N --view-window-ms N --truth FILE --output TOPIC --min-orders N
"""

import argparse
import json
import sys
import time
from datetime import datetime

from confluent_kafka import Consumer, Producer, TopicPartition

ORDERS = "raw.orders.v1"
CLICKS = "raw.clicks.v1"


def millis(text):
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


def iso(ms):
    return datetime.utcfromtimestamp(ms / 1000).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def read_topic(bootstrap, topic):
    """Every record of every partition, read to the high watermark, as (partition, offset, key, value)."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "attribute-reference", "enable.auto.commit": False})
    metadata = consumer.list_topics(topic, timeout=10)
    partitions = sorted(metadata.topics[topic].partitions)
    ends = {}
    assignments = []
    for p in partitions:
        low, high = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
        if high > low:
            ends[p] = high
            assignments.append(TopicPartition(topic, p, low))
    records = []
    consumer.assign(assignments)
    positions = {tp.partition: tp.offset for tp in assignments}
    deadline = time.monotonic() + 120
    while any(positions[p] < ends[p] for p in ends):
        if time.monotonic() > deadline:
            raise SystemExit(f"reading {topic} timed out at {positions} of {ends}")
        for message in consumer.consume(1000, 0.5):
            if message.error():
                continue
            p = message.partition()
            positions[p] = message.offset() + 1
            if message.offset() < ends[p]:
                records.append((p, message.offset(), message.key(), message.value()))
    consumer.close()
    return records


def expected_credits(bootstrap, click_window, view_window):
    """The credit of every order record, keyed by (partition, offset)."""
    touches = {}
    for partition, offset, _key, value in read_topic(bootstrap, CLICKS):
        event = json.loads(value)
        entry = (millis(event["timestamp"]), partition, offset, event)
        touches.setdefault(event["user_id"], []).append(entry)
    expected = {}
    for partition, offset, _key, value in read_topic(bootstrap, ORDERS):
        order = json.loads(value)
        if order["event_id"].startswith("flowguard-probe-"):
            continue
        at = millis(order["timestamp"])
        mine = touches.get(order["user_id"], [])
        clicks = [t for t in mine if t[3]["is_click"] and at - click_window <= t[0] <= at]
        views = [t for t in mine if not t[3]["is_click"] and at - view_window <= t[0] <= at]
        if clicks:
            model, touch = "last_click", max(clicks, key=lambda t: t[:3])
        elif views:
            model, touch = "view_through", max(views, key=lambda t: t[:3])
        else:
            model, touch = "none", None
        record = dict(order)
        record.update({
            "attribution_model": model,
            "credited_event_id": touch[3]["event_id"] if touch else None,
            "credited_event_type": touch[3]["event_type"] if touch else None,
            "credited_ad_id": touch[3]["ad_id"] if touch else None,
            "credited_ad_type": touch[3]["ad_type"] if touch else None,
            "credited_timestamp": iso(touch[0]) if touch else None,
            "time_to_convert_ms": at - touch[0] if touch else None,
            "source_partition": partition,
            "source_offset": offset,
        })
        expected[(partition, offset)] = record
    return expected


def output_records(bootstrap, topic):
    records = {}
    duplicates = []
    for partition, offset, key, value in read_topic(bootstrap, topic):
        record = json.loads(value)
        source = (record["source_partition"], record["source_offset"])
        if key != str(record["user_id"]).encode():
            raise SystemExit(f"output {partition}@{offset} is keyed {key!r}, not by its user_id {record['user_id']}")
        if partition != record["source_partition"]:
            raise SystemExit(f"output {partition}@{offset} is not in the partition of its order {source}")
        if source in records:
            duplicates.append(source)
        records[source] = record
    return records, duplicates


def count_output(bootstrap, topic):
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "attribute-reference"})
    metadata = consumer.list_topics(topic, timeout=10)
    total = 0
    for p in metadata.topics[topic].partitions:
        low, high = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
        total += high - low
    consumer.close()
    return total


def check(args):
    expected = expected_credits(args.bootstrap, args.click_window_ms, args.view_window_ms)
    actual, duplicates = output_records(args.bootstrap, args.output)
    problems = []
    if duplicates:
        problems.append(f"{len(duplicates)} orders have more than one output record, such as {duplicates[:5]}")
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    if missing:
        problems.append(f"{len(missing)} orders have no output record, such as {missing[:5]}")
    if extra:
        problems.append(f"{len(extra)} output records are for no (non-probe) order, such as {extra[:5]}")
    differing = [key for key in sorted(set(expected) & set(actual)) if expected[key] != actual[key]]
    for key in differing[:5]:
        problems.append(f"order {key}: expected {expected[key]}, got {actual[key]}")
    if differing:
        problems.append(f"{len(differing)} records differ from the reference")
    models = {}
    for record in expected.values():
        models[record["attribution_model"]] = models.get(record["attribution_model"], 0) + 1
    if len(expected) < args.min_orders:
        problems.append(f"only {len(expected)} orders, fewer than the {args.min_orders} the test needs")
    if args.truth:
        by_event = {record["event_id"]: record for record in actual.values()}
        truth = [json.loads(line) for line in open(args.truth) if line.strip()]
        wrong = [t for t in truth if by_event.get(t["order_event_id"], {}).get("credited_event_id") != t["credited_event_id"]]
        if wrong:
            sample = [(t["order_event_id"], t["credited_event_id"], by_event.get(t["order_event_id"], {}).get("credited_event_id")) for t in wrong[:5]]
            problems.append(f"{len(wrong)} of {len(truth)} funnel orders are not credited to the click the funnel made them from: {sample}")
        print(f"truth: {len(truth) - len(wrong)} of {len(truth)} funnel orders credited to their click")
    print(f"reference: {len(expected)} orders ({models}); output: {len(actual)} records, {len(duplicates)} duplicates")
    for problem in problems:
        print("MISMATCH:", problem, file=sys.stderr)
    return 1 if problems else 0


def truth(args):
    """Checks only the output against --truth and the orders topic: for runs too large for the embedded
    cluster to keep every click (about 5 MiB per partition), where the reference cannot read them all."""
    orders = [json.loads(value) for _p, _o, _k, value in read_topic(args.bootstrap, ORDERS)]
    wanted = {order["event_id"] for order in orders if not order["event_id"].startswith("flowguard-probe-")}
    actual, duplicates = output_records(args.bootstrap, args.output)
    by_event = {record["event_id"]: record for record in actual.values()}
    problems = []
    if duplicates:
        problems.append(f"{len(duplicates)} orders have more than one output record")
    if set(by_event) != wanted:
        problems.append(f"{len(wanted - set(by_event))} orders have no output record, {len(set(by_event) - wanted)} records no order")
    entries = [json.loads(line) for line in open(args.truth) if line.strip()]
    wrong = [t for t in entries if by_event.get(t["order_event_id"], {}).get("credited_event_id") != t["credited_event_id"]]
    if wrong:
        problems.append(f"{len(wrong)} of {len(entries)} funnel orders are not credited to their click, such as {wrong[:3]}")
    if len(entries) < args.min_orders:
        problems.append(f"only {len(entries)} funnel orders, fewer than {args.min_orders}")
    print(f"truth: {len(entries) - len(wrong)} of {len(entries)} funnel orders credited to their click; {len(actual)} output records for {len(wanted)} orders")
    for problem in problems:
        print("MISMATCH:", problem, file=sys.stderr)
    return 1 if problems else 0


def wait(args):
    """Waits until the output holds as many records as there are non-probe orders (or more)."""
    orders = [json.loads(value) for _p, _o, _k, value in read_topic(args.bootstrap, ORDERS)]
    wanted = sum(1 for order in orders if not order["event_id"].startswith("flowguard-probe-"))
    deadline = time.monotonic() + args.seconds
    while True:
        have = count_output(args.bootstrap, args.output)
        if have >= wanted:
            print(f"output holds {have} records for {wanted} orders")
            return 0
        if time.monotonic() > deadline:
            print(f"output holds {have} records for {wanted} orders after {args.seconds}s", file=sys.stderr)
            return 1
        time.sleep(0.5)


def cases(args):
    """Hand-made orders and touches for the edge cases, at times well before now (event time is theirs)."""
    base = int(time.time() * 1000) - 3_600_000
    minute = 60_000
    events = []

    def click(user, eid, at, ad="ad_901", ad_type="banner", is_click=True, kind="click"):
        events.append((CLICKS, user, {"event_id": eid, "user_id": user, "ad_id": ad, "is_click": is_click, "ad_type": ad_type,
                                      "event_type": kind, "timestamp": iso(at), "received_at": iso(at)}))

    def order(user, eid, at, price=12.5):
        events.append((ORDERS, user, {"event_id": eid, "user_id": user, "order_id": "ORD-" + eid, "item_id": 7, "item_name": "Thali",
                                      "price": price, "event_type": "order", "timestamp": iso(at), "received_at": iso(at)}))

    # No click and no impression at all: none.
    order(900001, "case-none", base)
    # Several clicks before one order: the last; a later click does not count.
    click(900002, "case-multi-c1", base + 1 * minute, ad="ad_911")
    click(900002, "case-multi-c2", base + 2 * minute, ad="ad_912", ad_type="video")
    click(900002, "case-multi-c3", base + 3 * minute, ad="ad_913")
    order(900002, "case-multi", base + 2 * minute + 5000)
    # A click outside the click window (the test runs with --click-window 10m), an impression inside the view window.
    click(900003, "case-old-click", base)
    click(900003, "case-view", base + 10 * minute + 1000, is_click=False, kind="impression", ad="ad_921", ad_type="native")
    order(900003, "case-outside", base + 10 * minute + 2000)
    # A click event with is_click false is an impression; outside the view window (5m) it credits nothing.
    click(900004, "case-shown", base, is_click=False, ad="ad_931")
    order(900004, "case-stale-view", base + 6 * minute)
    # The order is written before the click that precedes it: the job must wait for it.
    order(900005, "case-late", base + 20 * minute)
    click(900005, "case-late-click", base + 20 * minute - 3000, ad="ad_941", ad_type="carousel")
    # A click and an impression at the order's own millisecond: the click, and it counts.
    click(900006, "case-same-ms-view", base + 30 * minute, is_click=False, kind="impression")
    click(900006, "case-same-ms-click", base + 30 * minute)
    order(900006, "case-same-ms", base + 30 * minute)
    # Two orders credited to the same click.
    click(900007, "case-twice-click", base + 40 * minute, ad="ad_951")
    order(900007, "case-twice-1", base + 41 * minute)
    order(900007, "case-twice-2", base + 42 * minute)
    # A probe order: skipped, counted.
    order(900008, "flowguard-probe-case", base)

    producer = Producer({"bootstrap.servers": args.bootstrap, "enable.idempotence": True})
    for topic, user, value in events:
        producer.produce(topic, key=str(user).encode(), value=json.dumps(value, separators=(",", ":")).encode())
        producer.flush(10)  # one at a time, so that "written before" holds
    print(sum(1 for topic, _, value in events if topic == ORDERS and not value["event_id"].startswith("flowguard-probe-")))
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["cases", "wait", "check", "truth"])
    parser.add_argument("bootstrap")
    parser.add_argument("seconds", nargs="?", type=float, default=120)
    parser.add_argument("--click-window-ms", type=int, default=24 * 3_600_000)
    parser.add_argument("--view-window-ms", type=int, default=3_600_000)
    parser.add_argument("--output", default="attributed.orders.v1")
    parser.add_argument("--truth")
    parser.add_argument("--min-orders", type=int, default=0)
    args = parser.parse_args()
    return {"cases": cases, "wait": wait, "check": check, "truth": truth}[args.mode](args)


if __name__ == "__main__":
    sys.exit(main())
