"""Measurements for bench/attribute/run.sh, with confluent-kafka."""

import http.client
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


def reader(bootstrap):
    """The ceiling a plain confluent-kafka consumer reaches on the click topic of this cluster: records/s."""
    c = consumer(bootstrap)
    topic = "raw.clicks.v1"
    partitions = c.list_topics(topic, timeout=10).topics[topic].partitions
    ends = {p: c.get_watermark_offsets(TopicPartition(topic, p), timeout=10) for p in partitions}
    left = {p: high for p, (low, high) in ends.items() if high > low}
    total = sum(high - low for low, high in ends.values())
    start = time.time()
    c.assign([TopicPartition(topic, p, low) for p, (low, high) in ends.items() if high > low])
    count = 0
    while left:
        for m in c.consume(1000, 0.1):
            if m.error():
                continue
            count += 1
            if m.offset() + 1 >= left.get(m.partition(), 1 << 62):
                left.pop(m.partition(), None)
    seconds = time.time() - start
    c.close()
    return f"{total / seconds:,.0f}"


def log_time(path, pattern):
    for line in open(path):
        if pattern in line:
            return datetime.fromisoformat(line.split(" ")[0].replace("Z", "+00:00")).timestamp()
    return None


class Metrics:
    """The job's /metrics over one kept-alive connection: a new connection per sample would cost the
    job more CPU than the records it reads between two samples."""

    def __init__(self, port):
        self.port = port
        self.connection = None

    def records_read(self):
        """The job's input records read so far, both topics; None while it does not answer."""
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
            self.connection.request("GET", "/metrics")
            text = self.connection.getresponse().read().decode()
        except OSError:
            self.connection = None
            return None
        return sum(int(float(line.rsplit(" ", 1)[1])) for line in text.splitlines()
                   if line.startswith("flowguard_attribution_records_read_total{"))


def throughput(bootstrap, log, metrics_port):
    """Two rates: the whole run, from the group's assignment to the last output record (the job's
    start-up included: the state rebuild and the output read-back of each order partition), and the
    steady one, between 10% and 90% of the input read (sampled from the job's /metrics)."""
    orders = totals(bootstrap, "raw.orders.v1")
    clicks = totals(bootstrap, "raw.clicks.v1") - 6
    events = orders + clicks
    samples = []
    metrics = Metrics(int(metrics_port))
    deadline = time.time() + 600
    while (samples[-1][1] if samples else 0) < events + 6:
        if time.time() > deadline:
            return "did not finish in 10 min", ""
        count = metrics.records_read()
        if count is not None:
            samples.append((time.time(), count))
        time.sleep(0.01)
    while totals(bootstrap, OUTPUT) < orders:
        if time.time() > deadline:
            return "did not finish in 10 min", ""
        time.sleep(0.05)
    last = max(m.timestamp()[1] for m in read(bootstrap, OUTPUT)) / 1000
    assigned = None
    while assigned is None:
        assigned = log_time(log, "order partitions assigned")
    seconds = last - assigned
    first = next(s for s in samples if s[1] >= 0.1 * events)
    ninety = next(s for s in samples if s[1] >= 0.9 * events)
    steady = (ninety[1] - first[1]) / (ninety[0] - first[0])
    return (f"{events:,} events ({orders:,} orders) in {seconds:.2f} s from the assignment: {events / seconds:,.0f} events/s",
            f"**{steady:,.0f} events/s** (10% to 90% of the input read, {ninety[0] - first[0]:.3f} s)")


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
        print("\n".join(throughput(bootstrap, sys.argv[3], sys.argv[4])))
    elif mode == "reader":
        print(reader(bootstrap))
    elif mode == "latency":
        print(latency(bootstrap))
