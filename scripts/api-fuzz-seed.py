#!/usr/bin/env python3
"""Seeds the hub scripts/api-fuzz fuzzes with what `earshot fleet-sim` does not send: one agent
(`fuzz-agent` on site `fuzz-site`) whose asset `fuzz-fan` goes into alarm, and the FLAC clip of
that alarm. The clip, label and alarm routes then have real identifiers to fuzz.

Usage: api-fuzz-seed.py PORT FLAC
  PORT: the broker's port on 127.0.0.1; FLAC: the clip's audio (a complete FLAC stream).
  Needs paho-mqtt, protobuf and the earshot.v1 modules from `scripts/generate-protos --python` on
  PYTHONPATH. Publishes with QoS 1, waiting for each PUBACK, then exits 0.
"""
import sys
import time

import paho.mqtt.client as mqtt

from earshot.v1 import clip_pb2, common_pb2, status_pb2, verdict_pb2

AGENT, SITE, ASSET = "fuzz-agent", "fuzz-site", "fuzz-fan"


def stream_info(flac):
    """Sample rate, channels and samples from a FLAC stream's STREAMINFO block."""
    if flac[:4] != b"fLaC":
        sys.exit("not a FLAC stream")
    packed = int.from_bytes(flac[18:26], "big")
    return packed >> 44, ((packed >> 41) & 7) + 1, packed & ((1 << 36) - 1)


def messages(flac, now_ms):
    """(topic, message, retain) in publishing order: status, six verdicts (the last three in alarm), the clip."""
    topic = f"earshot/v1/{SITE}/agents/{AGENT}/"
    status = status_pb2.AgentStatus(
        schema_version=1, agent_id=AGENT, connection=status_pb2.CONNECTION_STATE_ONLINE, software_version="api-fuzz",
        reported_at_ms=now_ms, last_seq=7)
    status.assets.add(asset_id=ASSET, machine_type="fan", line="fuzz-line")
    yield topic + "status", status, True
    batch = verdict_pb2.VerdictBatch(schema_version=1, agent_id=AGENT, created_at_ms=now_ms)
    for seq in range(1, 7):
        alarm = seq > 3
        batch.verdicts.add(
            seq=seq, asset_id=ASSET, window_start_ms=now_ms - (10 - seq) * 1000, window_length_ms=1000, model_family="fan-ae",
            model_version=1, score=2.0 if alarm else 0.5, threshold=1.0, label="anomaly" if alarm else "normal", anomalous=alarm,
            asset_state=common_pb2.ASSET_STATE_ALARM if alarm else common_pb2.ASSET_STATE_NORMAL)
    yield topic + "verdicts", batch, False
    rate, channels, samples = stream_info(flac)
    clip = clip_pb2.Clip(
        schema_version=1, clip_id="fuzz-clip", agent_id=AGENT, asset_id=ASSET, seq=7, window_start_ms=now_ms - 4000,
        duration_ms=max(1, samples * 1000 // rate), reason=clip_pb2.CLIP_REASON_ANOMALY, codec=clip_pb2.AUDIO_CODEC_FLAC,
        sample_rate_hz=rate, channels=channels, audio=flac, verdict_seq=6)
    yield topic + "clips", clip, False


def main():
    port, path = int(sys.argv[1]), sys.argv[2]
    with open(path, "rb") as f:
        flac = f.read()
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="api-fuzz-seed", protocol=mqtt.MQTTv5)
    client.connect("127.0.0.1", port)
    client.loop_start()
    for topic, message, retain in messages(flac, int(time.time() * 1000)):
        info = client.publish(topic, message.SerializeToString(), qos=1, retain=retain)
        info.wait_for_publish(10)
        if not info.is_published():
            sys.exit(f"publish to {topic} not acknowledged")
    client.disconnect()
    client.loop_stop()


if __name__ == "__main__":
    main()
