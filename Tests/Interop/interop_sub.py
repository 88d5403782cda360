#!/usr/bin/env python3
"""Interop: a paho-mqtt subscriber decodes Earshot messages published by the Swift client.

Usage: interop_sub.py PORT FILTER COUNT READY_FILE OUT_FILE
PYTHONPATH must contain the modules made by `scripts/generate-protos --python DIR`.
Touches READY_FILE after the SUBACK, then writes one JSON object per received message
to OUT_FILE (a JSON list) and exits once COUNT messages arrived (or after 120 s: the test suite shares two cores).
"""
import json
import sys
import threading

import paho.mqtt.client as mqtt
from google.protobuf import json_format

from earshot.v1 import ack_pb2, clip_pb2, desired_pb2, event_pb2, model_pb2, status_pb2, verdict_pb2

TYPES = {
    "status": status_pb2.AgentStatus,
    "verdicts": verdict_pb2.VerdictBatch,
    "clips": clip_pb2.Clip,
    "events": event_pb2.AgentEvent,
    "acks": ack_pb2.Ack,
    "desired": desired_pb2.DesiredState,
}


def decode(topic, payload):
    parts = topic.split("/")
    if "models" in parts:
        message = model_pb2.SignedArtifact.FromString(payload)
        artifact = model_pb2.ModelArtifact.FromString(message.artifact)
        return {"kind": "model", "envelope": json_format.MessageToDict(message, preserving_proto_field_name=True,
                                                                        use_integers_for_enums=True),
                "artifact": json_format.MessageToDict(artifact, preserving_proto_field_name=True)}
    kind = parts[-1]
    message = TYPES[kind].FromString(payload)
    return {"kind": kind, "message": json_format.MessageToDict(message, preserving_proto_field_name=True)}


def main():
    port, topic_filter, count, ready_file, out_file = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
    received = []
    done = threading.Event()

    def on_connect(client, userdata, flags, reason_code, properties):
        client.subscribe(topic_filter, qos=1)

    def on_subscribe(client, userdata, mid, reason_codes, properties):
        open(ready_file, "w").close()

    def on_message(client, userdata, msg):
        try:
            entry = decode(msg.topic, msg.payload)
        except Exception as error:  # the Swift test reports it
            entry = {"kind": "error", "error": repr(error)}
        entry["topic"] = msg.topic
        entry["retain"] = bool(msg.retain)
        received.append(entry)
        if len(received) >= count:
            done.set()

    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="paho-interop-sub", protocol=mqtt.MQTTv5)
    client.on_connect = on_connect
    client.on_subscribe = on_subscribe
    client.on_message = on_message
    client.connect("127.0.0.1", port)
    client.loop_start()
    done.wait(120)
    client.disconnect()
    client.loop_stop()
    with open(out_file, "w") as fh:
        json.dump(received, fh)


if __name__ == "__main__":
    main()
