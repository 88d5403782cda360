#!/usr/bin/env python3
"""Writes the fuzz seed corpora (committed): Fuzz/corpus/ingest/* and Fuzz/corpus/audio/*.

ingest: records [kind][agent][length u16 LE][payload] as Fuzz/Sources/IngestFuzzer reads them,
with valid AgentStatus, VerdictBatch, Clip and AgentEvent protobufs (hand-encoded from
proto/earshot/v1/*.proto). audio: small WAV, FLAC and AIFF files written with soundfile
(libsndfile). Usage: python3 Fuzz/corpus/make-seeds.py
"""
import io
import math
import os
import struct

import soundfile

here = os.path.dirname(os.path.abspath(__file__))


def varint(n):
    n &= (1 << 64) - 1
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        out += bytes([b | (0x80 if n else 0)])
        if not n:
            return out


def field(number, value):
    if isinstance(value, bytes):
        return varint(number << 3 | 2) + varint(len(value)) + value
    if isinstance(value, str):
        return field(number, value.encode())
    if isinstance(value, float):
        return varint(number << 3 | 5) + struct.pack("<f", value)
    return varint(number << 3) + varint(value)


def audio(fmt, subtype, frames=160, channels=1, rate=16000):
    data = [[0.3 * math.sin(2 * math.pi * 440 * i / rate)] * channels for i in range(frames)]
    out = io.BytesIO()
    soundfile.write(out, data, rate, format=fmt, subtype=subtype)
    return out.getvalue()


T0 = 1_800_000_000_000
status = (field(1, 1) + field(2, "fz-a") + field(3, 1) + field(4, "0.1.0")
          + field(5, field(1, "fan-01") + field(2, "fan") + field(3, "line-1")) + field(12, T0) + field(13, 3))
verdict = lambda seq, start: (field(1, seq) + field(2, "fan-01") + field(3, start) + field(4, 10000) + field(5, "fan-ae")
                              + field(6, 1) + field(7, 0.8) + field(8, 0.5) + field(11, 2) + field(12, 1))
batch = field(1, 1) + field(2, "fz-a") + field(3, verdict(1, T0)) + field(3, verdict(2, T0 + 1000)) + field(4, T0)
flac = audio("FLAC", "PCM_16")
clip = (field(1, 1) + field(2, "c1") + field(3, "fz-a") + field(4, "fan-01") + field(5, 3) + field(6, T0) + field(7, 10)
        + field(8, 1) + field(9, 1) + field(10, 16000) + field(11, 1) + field(12, flac) + field(13, 2))
event = field(1, 1) + field(2, "fz-a") + field(3, 4) + field(4, T0) + field(5, 2) + field(6, "spool full")


def record(kind, agent, payload):
    return bytes([kind, agent]) + struct.pack("<H", len(payload)) + payload


seeds = {
    "ingest/status": record(0, 0, status),
    "ingest/verdicts": record(1, 0, batch),
    "ingest/clip": record(2, 0, clip),
    "ingest/event": record(3, 0, event),
    "ingest/round": record(0, 0, status) + record(1, 0, batch) + record(2, 0, clip) + record(3, 0, event),
    "audio/tone.wav": audio("WAV", "PCM_16"),
    "audio/tone-float.wav": audio("WAV", "FLOAT", channels=2),
    "audio/tone.flac": flac,
    "audio/tone-8ch.flac": audio("FLAC", "PCM_24", frames=64, channels=8),
    "audio/tone.aiff": audio("AIFF", "PCM_16"),
}
for name, data in seeds.items():
    with open(os.path.join(here, name), "wb") as f:
        f.write(data)
    print(f"{name}: {len(data)} bytes")
