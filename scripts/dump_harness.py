"""Helpers of scripts/test-dump*.sh: produce known records, wait for the dumper's commits, read the lake
independently of FlowGuard (gzip + json, boto3, DuckDB) and compare it with what confluent-kafka reads,
set up moto's IAM, and a fault proxy between the dumper and moto."""
import argparse
import datetime
import gzip
import http.client
import http.server
import io
import json
import os
import random
import re
import signal
import socketserver
import sys
import threading
import time

from confluent_kafka import Consumer, Producer, TopicPartition

NAME = re.compile(r"^topic=(?P<topic>[^/]+)/dt=(?P<dt>\d{4}-\d{2}-\d{2})/hr=(?P<hr>\d{2})/(?P=topic)\+(?P<partition>\d+)\+(?P<start>\d{19})\.ndjson\.gz$")


def bootstrap_from_discovery():
    with open(".flowguard/cluster.json") as f:
        return json.load(f)["bootstrap_servers"]


def rfc3339(millis):
    moment = datetime.datetime.fromtimestamp(millis / 1000, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{millis % 1000:03d}Z"


def event_millis(line):
    """The event time the lake files a line by: the value's RFC 3339 timestamp, else the record's."""
    value = line.get("value")
    for text in ([value.get("timestamp")] if isinstance(value, dict) else []) + [line.get("timestamp")]:
        if isinstance(text, str):
            try:
                return int(datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)
            except ValueError:
                pass
    return 0


def hour_folder(millis):
    moment = datetime.datetime.fromtimestamp(millis // 3_600_000 * 3600, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%d"), moment.strftime("%H")


def kafka_records(bootstrap, topics):
    """Every record of the topics as the line `tail --format json` prints, by (topic, partition, offset)."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "dump-harness-reader", "enable.auto.commit": False})
    metadata = consumer.list_topics(timeout=10)
    wanted = {}
    for topic in topics:
        for partition in metadata.topics[topic].partitions:
            low, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=10)
            if high > low:
                wanted[(topic, partition)] = (low, high)
    consumer.assign([TopicPartition(t, p, low) for (t, p), (low, _) in wanted.items()])
    records = {}
    remaining = {key for key in wanted}
    deadline = time.time() + 60
    while remaining and time.time() < deadline:
        message = consumer.poll(0.5)
        if message is None or message.error():
            continue
        key = (message.topic(), message.partition())
        raw = message.value()
        try:
            value = json.loads(raw) if raw is not None else None
        except ValueError:
            value = raw.decode("utf-8", "replace")
        records[(message.topic(), message.partition(), message.offset())] = {
            "topic": message.topic(),
            "partition": message.partition(),
            "offset": message.offset(),
            "timestamp": rfc3339(message.timestamp()[1]),
            "key": message.key().decode() if message.key() is not None else None,
            "headers": {k: (v.decode() if v is not None else None) for k, v in (message.headers() or [])},
            "value": value,
        }
        if message.offset() + 1 >= wanted[key][1]:
            remaining.discard(key)
    consumer.close()
    if remaining:
        sys.exit(f"Kafka did not return every record of {sorted(remaining)}")
    return records


def lake_objects(args):
    """(key below the prefix, bytes) of every object, read with boto3 or from the directory."""
    if args.dir:
        for folder, _, files in os.walk(args.dir):
            for name in files:
                # Hidden files are not part of a table (the Hive convention): a `.NAME.PID.tmp` is what a
                # dumper killed in the middle of writing a file leaves behind.
                if name.startswith("."):
                    continue
                path = os.path.join(folder, name)
                with open(path, "rb") as f:
                    yield os.path.relpath(path, args.dir), f.read()
    else:
        import boto3
        s3 = boto3.client("s3", endpoint_url=args.endpoint)
        prefix = args.prefix + "/" if args.prefix else ""
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=args.bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                body = s3.get_object(Bucket=args.bucket, Key=item["Key"])["Body"].read()
                yield item["Key"][len(prefix):], body


def check_lake(args):
    bootstrap = args.bootstrap or bootstrap_from_discovery()
    expected = kafka_records(bootstrap, args.topics.split(","))
    seen = {}
    problems = []
    objects = 0
    for key, body in lake_objects(args):
        match = NAME.match(key)
        if not match:
            problems.append(f"{key}: not an object of the layout")
            continue
        objects += 1
        lines = gzip.GzipFile(fileobj=io.BytesIO(body)).read().decode().split("\n")
        if lines[-1] != "":
            problems.append(f"{key}: the last line is not complete")
        first = True
        for text in lines[:-1]:
            line = json.loads(text)
            where = (line["topic"], line["partition"], line["offset"])
            if first and line["offset"] != int(match["start"]):
                problems.append(f"{key}: first offset {line['offset']}")
            first = False
            if (line["topic"], str(line["partition"])) != (match["topic"], match["partition"]):
                problems.append(f"{key}: holds {where}")
            if hour_folder(event_millis(line)) != (match["dt"], match["hr"]):
                problems.append(f"{key}: {where} is in the wrong hour")
            if where in seen:
                problems.append(f"{where}: twice, in {seen[where]} and {key}")
            seen[where] = key
            if expected.get(where) != line:
                problems.append(f"{where}: differs from Kafka: {line} != {expected.get(where)}")
    missing = sorted(set(expected) - set(seen))
    if missing:
        problems.append(f"{len(missing)} records missing, such as {missing[:5]}")
    for problem in problems[:20]:
        print("  " + problem)
    print(f"independent check: {len(seen)} lines in {objects} objects, {len(expected)} records in Kafka, {len(problems)} problems")
    sys.exit(1 if problems or len(seen) != len(expected) else 0)


def duckdb_counts(args):
    import duckdb
    bootstrap = args.bootstrap or bootstrap_from_discovery()
    expected = {}
    for record in kafka_records(bootstrap, [args.topic]).values():
        folder = hour_folder(event_millis(record))
        expected[folder] = expected.get(folder, 0) + 1
    pattern = os.path.join(args.dir, f"topic={args.topic}", "*", "*", "*.ndjson.gz")
    rows = duckdb.sql(
        f"SELECT dt::VARCHAR, lpad(hr::VARCHAR, 2, '0'), count(*), count(DISTINCT (\"partition\", \"offset\")) "
        f"FROM read_json_auto('{pattern}', hive_partitioning = true, format = 'newline_delimited') GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    got = {(dt, hr): count for dt, hr, count, _ in rows}
    print(f"DuckDB counts per hour of {args.topic}: {got}")
    if got != expected or any(count != distinct for _, _, count, distinct in rows):
        sys.exit(f"Kafka's counts per hour differ: {expected}")


def produce_hours(args):
    """Records whose events happened over several hours, some late (an hour already passed in their partition)."""
    bootstrap = args.bootstrap or bootstrap_from_discovery()
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True})
    rng = random.Random(args.seed)
    base = 1_796_396_400_000  # 2026-12-04T15:00:00Z
    for index in range(args.count):
        minutes = index * 180 // args.count + (rng.choice([0, 0, 0, -70]) if index > 50 else 0)  # 3 hours, 1 in 4 an hour late
        millis = base + minutes * 60_000 + rng.randrange(60_000)
        value = {"event_id": f"h{args.seed}-{index}", "user_id": 1000 + index % 97, "price": round(rng.random() * 100, 2), "timestamp": rfc3339(millis)}
        producer.produce(args.topic, key=str(index % 97).encode(), value=json.dumps(value).encode(), headers=[("event_type", b"order")])
        if index % 500 == 0:
            producer.flush()
    producer.flush()
    print(f"produced {args.count} records over three event hours to {args.topic}")


def committed_all(bootstrap, group, topics):
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False})
    metadata = consumer.list_topics(timeout=10)
    partitions = [TopicPartition(t, p) for t in topics for p in metadata.topics[t].partitions]
    committed = {(tp.topic, tp.partition): tp.offset for tp in consumer.committed(partitions, timeout=10)}
    behind = {}
    for tp in partitions:
        _, high = consumer.get_watermark_offsets(tp, timeout=10)
        have = committed[(tp.topic, tp.partition)]
        if high > 0 and (have < 0 or have < high):
            behind[(tp.topic, tp.partition)] = (have, high)
    consumer.close()
    return behind


def wait_committed(args):
    bootstrap = args.bootstrap or bootstrap_from_discovery()
    deadline = time.time() + args.timeout
    while True:
        behind = committed_all(bootstrap, args.group, args.topics.split(","))
        if not behind:
            print(f"group {args.group} has committed every record")
            return
        if time.time() > deadline:
            sys.exit(f"group {args.group} still behind after {args.timeout}s: {behind}")
        time.sleep(0.5)


def moto_setup(args):
    """A user allowed s3:* and its access key (moto checks signatures once its first 3 actions are used), and the bucket."""
    import boto3
    iam = boto3.client("iam", endpoint_url=args.endpoint, region_name="us-east-1", aws_access_key_id="setup", aws_secret_access_key="setup")
    iam.create_user(UserName="dumper")
    iam.put_user_policy(UserName="dumper", PolicyName="s3", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
    key = iam.create_access_key(UserName="dumper")["AccessKey"]
    s3 = boto3.client("s3", endpoint_url=args.endpoint, region_name="us-east-1", aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
    s3.create_bucket(Bucket=args.bucket)
    print(f"export AWS_ACCESS_KEY_ID={key['AccessKeyId']} AWS_SECRET_ACCESS_KEY={key['SecretAccessKey']}")


class FaultProxy(http.server.BaseHTTPRequestHandler):
    """Forwards requests to moto unchanged (the Host header too, which the signature covers), except as the
    control file says: `503 N` answers the next N PUTs with 503 SlowDown, `reset N` closes their
    connections, `stall N S` holds them S seconds and then drops them (the client times out), `kill N`
    forwards the Nth PUT from now, and once moto stored it, kills the process in the pid file with
    SIGKILL before the answer goes back: the object is stored, its offsets never committed."""
    protocol_version = "HTTP/1.1"
    lock = threading.Lock()
    target = None
    control = None
    pid_file = None
    faults = 0

    def log_message(self, *_):
        pass

    def take_fault(self):
        if self.command != "PUT":
            return None
        with FaultProxy.lock:
            try:
                with open(FaultProxy.control) as f:
                    words = f.read().split()
            except FileNotFoundError:
                return None
            if len(words) < 2 or int(words[1]) <= 0:
                return None
            kind, count = words[0], int(words[1])
            rest = words[2:]
            if kind == "kill" and count > 1:
                words[1] = str(count - 1)
                with open(FaultProxy.control, "w") as f:
                    f.write(" ".join(words))
                return None
            words[1] = str(count - 1)
            with open(FaultProxy.control, "w") as f:
                f.write(" ".join(words))
            FaultProxy.faults += 1
            with open(FaultProxy.control + ".count", "w") as f:
                f.write(str(FaultProxy.faults))
            return kind, rest

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        fault = self.take_fault()
        if fault and fault[0] == "503":
            payload = b"<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"
            self.send_response(503)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        if fault and fault[0] == "reset":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if fault and fault[0] == "stall":
            time.sleep(float(fault[1][0]) if fault[1] else 5)
            self.close_connection = True
            self.connection.shutdown(2)
            return
        upstream = http.client.HTTPConnection(*FaultProxy.target, timeout=60)
        upstream.request(self.command, self.path, body=body, headers={k: v for k, v in self.headers.items()})
        response = upstream.getresponse()
        data = response.read()
        if fault and fault[0] == "kill":
            with open(FaultProxy.pid_file) as f:
                os.kill(int(f.read().strip()), signal.SIGKILL)
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.send_response(response.status)
        for name, value in response.getheaders():
            if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = handle_any


def fault_proxy(args):
    host, port = args.target.replace("http://", "").split(":")
    FaultProxy.target = (host, int(port))
    FaultProxy.control = args.control
    FaultProxy.pid_file = args.pid_file
    server = socketserver.ThreadingTCPServer(("127.0.0.1", args.port), FaultProxy)
    server.daemon_threads = True
    print(f"fault proxy on 127.0.0.1:{args.port} -> {args.target}", flush=True)
    server.serve_forever()


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check-lake")
    p.add_argument("--bootstrap"); p.add_argument("--topics", required=True); p.add_argument("--dir")
    p.add_argument("--endpoint"); p.add_argument("--bucket"); p.add_argument("--prefix", default="")
    p.set_defaults(run=check_lake)
    p = sub.add_parser("duckdb")
    p.add_argument("--bootstrap"); p.add_argument("--topic", required=True); p.add_argument("--dir", required=True)
    p.set_defaults(run=duckdb_counts)
    p = sub.add_parser("produce-hours")
    p.add_argument("--bootstrap"); p.add_argument("--topic", required=True); p.add_argument("--count", type=int, default=2000); p.add_argument("--seed", type=int, default=1)
    p.set_defaults(run=produce_hours)
    p = sub.add_parser("wait-committed")
    p.add_argument("--bootstrap"); p.add_argument("--group", required=True); p.add_argument("--topics", required=True); p.add_argument("--timeout", type=float, default=120)
    p.set_defaults(run=wait_committed)
    p = sub.add_parser("moto-setup")
    p.add_argument("--endpoint", required=True); p.add_argument("--bucket", required=True)
    p.set_defaults(run=moto_setup)
    p = sub.add_parser("fault-proxy")
    p.add_argument("--port", type=int, required=True); p.add_argument("--target", required=True)
    p.add_argument("--control", required=True); p.add_argument("--pid-file", required=True)
    p.set_defaults(run=fault_proxy)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
