#!/usr/bin/env python3
"""Interop: a paho-mqtt publisher sends Earshot messages for the Swift client to decode.

Usage: interop_pub.py PORT PREFIX
Publishes (QoS 1, waiting for each PUBACK) on PREFIX/agents/py-agent/{verdicts,acks,desired,status}
and PREFIX/models/fan-ae/3, then exits 0.
"""
import hashlib
import sys

import paho.mqtt.client as mqtt

from earshot.v1 import ack_pb2, common_pb2, desired_pb2, model_pb2, status_pb2, verdict_pb2


def messages(prefix):
    agent = prefix + "/agents/py-agent/"
    batch = verdict_pb2.VerdictBatch(schema_version=1, agent_id="py-agent", created_at_ms=1_700_000_000_000)
    for seq in (7, 8, 9):
        batch.verdicts.add(seq=seq, asset_id="pump-1", window_start_ms=1_700_000_000_000 + seq * 1000,
                           window_length_ms=1000, model_family="pump-ae", model_version=3, score=0.5 * seq,
                           threshold=4.0, label="anomaly" if seq > 8 else "normal",
                           asset_state=common_pb2.ASSET_STATE_ALARM if seq > 8 else common_pb2.ASSET_STATE_NORMAL,
                           anomalous=seq > 8)
    yield agent + "verdicts", batch, False
    yield agent + "acks", ack_pb2.Ack(schema_version=1, agent_id="py-agent", highest_contiguous_seq=9, hub_id="py-hub"), False
    desired = desired_pb2.DesiredState(schema_version=1, agent_id="py-agent", generation=4)
    desired.models.add(family="fan-ae", version=3, artifact_topic=prefix + "/models/fan-ae/3", sha256=b"\x01" * 32)
    desired.settings.clip_policy.normal_sample_probability = 0.25
    yield agent + "desired", desired, True
    status = status_pb2.AgentStatus(schema_version=1, agent_id="py-agent", connection=status_pb2.CONNECTION_STATE_LOST)
    yield agent + "status", status, True
    artifact = model_pb2.ModelArtifact(format_version=1, family="fan-ae", version=3, task=model_pb2.MODEL_TASK_BINARY,
                                       labels=["normal", "anomaly"])
    artifact.features.kind = model_pb2.FEATURE_KIND_MFCC
    artifact.features.n_mfcc = 40
    body = artifact.SerializeToString()
    envelope = model_pb2.SignedArtifact(magic=0x4D534845, envelope_version=1, artifact=body,
                                        sha256=hashlib.sha256(body).digest(), signature=b"\x00" * 64,
                                        key_id="test", family="fan-ae", version=3)
    yield prefix + "/models/fan-ae/3", envelope, True


def main():
    port, prefix = int(sys.argv[1]), sys.argv[2]
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="paho-interop-pub", protocol=mqtt.MQTTv5)
    client.connect("127.0.0.1", port)
    client.loop_start()
    for topic, message, retain in messages(prefix):
        info = client.publish(topic, message.SerializeToString(), qos=1, retain=retain)
        info.wait_for_publish(10)
        if not info.is_published():
            sys.exit("publish to %s not acknowledged" % topic)
    client.disconnect()
    client.loop_stop()


if __name__ == "__main__":
    main()
