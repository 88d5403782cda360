#!/usr/bin/env python3
"""One hostile agent for bench/hub/hostile.sh: publishes each break of issue #16 in a loop on loopback.

Payloads are built once (protobuf encoded by hand: no generated code needed) and published at QoS 1
through paho-mqtt as fast as the broker takes them, for a bounded time. Prints the count sent.
Usage: hostile_sender.py PORT SITE AGENT SECONDS VICTIM_ASSET
"""
import math
import os
import resource
import struct
import sys
import time

import paho.mqtt.client as mqtt


def varint(n):
    n &= (1 << 64) - 1  # negative int64 → two's complement, as protobuf does
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field_varint(number, value):
    return varint(number << 3) + varint(value)


def field_bytes(number, data):
    return varint((number << 3) | 2) + varint(len(data)) + data


def field_float(number, value):
    return varint((number << 3) | 5) + struct.pack("<f", value)


def verdict(seq, asset="fan-1", window_ms=None, score=0.1, threshold=0.5):
    window_ms = int(time.time() * 1000) if window_ms is None else window_ms
    return (field_varint(1, seq) + field_bytes(2, asset.encode()) + field_varint(3, window_ms) + field_varint(4, 1000)
            + field_bytes(5, b"fan-ae") + field_varint(6, 1) + field_float(7, score) + field_float(8, threshold)
            + field_bytes(9, b"normal") + field_varint(11, 1))


def batch(agent, verdicts):
    return field_varint(1, 1) + field_bytes(2, agent.encode()) + b"".join(field_bytes(3, v) for v in verdicts)


def clip(agent, seq):
    now = int(time.time() * 1000)
    return (field_varint(1, 1) + field_bytes(2, b"c1") + field_bytes(3, agent.encode()) + field_bytes(4, b"fan-1")
            + field_varint(5, seq) + field_varint(6, now) + field_varint(9, 1) + field_varint(10, 16000) + field_varint(11, 1)
            + field_bytes(12, b"fLaC"))


def event(agent, seq, drop=None):
    body = field_varint(1, 1) + field_bytes(2, agent.encode()) + field_varint(3, seq) + field_varint(4, int(time.time() * 1000))
    body += field_bytes(6, b"hostile")
    if drop:
        body += field_bytes(12, field_varint(1, drop[0]) + field_varint(2, drop[1]))
    return body


def status(agent, assets, reported_at_ms, applied_generation=0):
    body = field_varint(1, 1) + field_bytes(2, agent.encode()) + field_varint(3, 1) + field_bytes(4, b"hostile")
    for asset in assets:
        body += field_bytes(5, field_bytes(1, asset.encode()) + field_bytes(2, b"pump") + field_bytes(3, b"line-1"))
    body += field_varint(12, reported_at_ms) + field_varint(14, applied_generation)
    return body


def main():
    port, site, agent, seconds, victim = int(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5]
    prefix = f"earshot/v1/{site}/agents/{agent}"
    ten_years = 10 * 365 * 86_400_000
    now = int(time.time() * 1000)
    payloads = [
        ("verdicts", batch(agent, [verdict(1 << 63)]), False),
        ("clips", clip(agent, 1 << 63), False),
        ("events", event(agent, 1 << 63), False),
        ("events", event(agent, 1, drop=(1, (1 << 64) - 1)), False),
        ("verdicts", batch(agent, [verdict(2, window_ms=-(1 << 63))]), False),
        ("verdicts", batch(agent, [verdict(3, window_ms=(1 << 63) - 1)]), False),
        ("verdicts", batch(agent, [verdict(4, score=math.nan)]), False),
        ("verdicts", batch(agent, [verdict(5, score=math.inf)]), False),
        ("status", status(agent, ["pump-1"], now, applied_generation=(1 << 64) - 1), True),
        ("status", status(agent, [victim], now + 3_600_000), True),  # claims a real agent's asset, skewed clock
        ("verdicts", batch(agent, [verdict(6, asset=victim, window_ms=now + ten_years)]), False),
        ("verdicts", batch(agent, [verdict(9, asset=victim)]), False),
        ("verdicts", batch(agent, [verdict(7, asset="A" * (4 * 1024 * 1024))]), False),  # over the 1 MiB verdicts limit
        ("verdicts", batch(agent, [verdict(8)]), True),  # retained
    ]
    if os.environ.get("HOSTILE_NO_BIG"):  # leave out the 4 MiB asset id (to see what it alone costs)
        payloads = [p for p in payloads if len(p[1]) < 1 << 20]
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=agent, protocol=mqtt.MQTTv5)
    client.max_inflight_messages_set(100)
    client.connect("127.0.0.1", port)
    client.loop_start()
    sent = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for kind, payload, retain in payloads:
            info = client.publish(f"{prefix}/{kind}", payload, qos=1, retain=retain)
            info.wait_for_publish(timeout=5)
            sent += 1
    client.publish(f"{prefix}/verdicts", b"", qos=1, retain=True).wait_for_publish(timeout=5)  # clear the retained copy
    client.loop_stop()
    client.disconnect()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"{sent} hostile messages, sender CPU {usage.ru_utime + usage.ru_stime:.1f} s")


if __name__ == "__main__":
    main()
