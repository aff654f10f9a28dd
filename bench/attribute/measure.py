"""Measurements for bench/attribute/run.sh, with confluent-kafka."""

import json
import re
import sys
import time
from datetime import datetime

from confluent_kafka import Consumer, Producer, TopicPartition

OUTPUT = "attributed.orders.v1"


def consumer(bootstrap):
    return Consumer({"bootstrap.servers": bootstrap, "group.id": "attribute-bench", "enable.auto.commit": False})


def totals(bootstrap, topic):
    c = consumer(bootstrap)
    partitions = c.list_topics(topic, timeout=10).topics[topic].partitions
    total = sum(c.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in partitions)
    c.close()
    return total


def read(bootstrap, topic):
    c = consumer(bootstrap)
    partitions = c.list_topics(topic, timeout=10).topics[topic].partitions
    ends = {p: c.get_watermark_offsets(TopicPartition(topic, p), timeout=10) for p in partitions}
    c.assign([TopicPartition(topic, p, low) for p, (low, high) in ends.items() if high > low])
    left = {p: high for p, (low, high) in ends.items() if high > low}
    records = []
    while left:
        for m in c.consume(1000, 1):
            if m.error():
                continue
            records.append(m)
            if m.offset() + 1 >= left.get(m.partition(), 0):
                left.pop(m.partition(), None)
    c.close()
    return records


def sentinels(bootstrap):
    """One click an hour ahead in every click partition: every watermark passes every order written before."""
    p = Producer({"bootstrap.servers": bootstrap})
    ahead = int(time.time() * 1000) + 3_600_000
    stamp = datetime.utcfromtimestamp(ahead / 1000).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    for partition in range(6):
        value = {"event_id": f"bench-sentinel-{partition}", "user_id": 99_000_000 + partition, "ad_id": "ad_0", "is_click": True,
                 "ad_type": "banner", "event_type": "click", "timestamp": stamp, "received_at": stamp}
        p.produce("raw.clicks.v1", key=str(99_000_000 + partition).encode(), value=json.dumps(value).encode(), partition=partition)
    p.flush(10)


def log_time(path, pattern):
    for line in open(path):
        if pattern in line:
            return datetime.fromisoformat(line.split(" ")[0].replace("Z", "+00:00")).timestamp()
    return None


def throughput(bootstrap, log):
    orders = totals(bootstrap, "raw.orders.v1")
    clicks = totals(bootstrap, "raw.clicks.v1") - 6
    deadline = time.time() + 600
    while totals(bootstrap, OUTPUT) < orders:
        if time.time() > deadline:
            return "did not finish in 10 min"
        time.sleep(0.05)
    last = max(m.timestamp()[1] for m in read(bootstrap, OUTPUT)) / 1000
    assigned = None
    while assigned is None:
        assigned = log_time(log, "order partitions assigned")
    seconds = last - assigned
    events = orders + clicks
    return f"{events:,} events ({orders:,} orders) in {seconds:.2f} s from the assignment: **{events / seconds:,.0f} events/s**"


def latency(bootstrap):
    orders = {(m.partition(), m.offset()): m.timestamp()[1] for m in read(bootstrap, "raw.orders.v1")}
    deadline = time.time() + 120
    while totals(bootstrap, OUTPUT) < len(orders) and time.time() < deadline:
        time.sleep(0.2)
    # The orders of the run's last 2 s have no later clicks to pass them: they wait for
    # --allowed-lateness, which is the end of the load, not the job's latency.
    steady_until = max(orders.values()) - 2000
    delays = []
    for m in read(bootstrap, OUTPUT):
        record = json.loads(m.value())
        source = (record["source_partition"], record["source_offset"])
        if source in orders and orders[source] <= steady_until:
            delays.append(m.timestamp()[1] - orders[source])
    delays.sort()
    if not delays:
        return "no output"
    pick = lambda q: delays[min(len(delays) - 1, int(q * len(delays)))]
    return f"{len(delays):,} orders (all but the last 2 s) of {len(orders):,}: p50 {pick(0.5)} ms, **p99 {pick(0.99)} ms**, max {delays[-1]} ms"


if __name__ == "__main__":
    mode, bootstrap = sys.argv[1], sys.argv[2]
    if mode == "sentinels":
        sentinels(bootstrap)
    elif mode == "throughput":
        print(throughput(bootstrap, sys.argv[3]))
    elif mode == "latency":
        print(latency(bootstrap))
