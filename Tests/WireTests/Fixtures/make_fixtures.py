#!/usr/bin/env python3
"""Writes the golden *.bin fixtures with Google's Python protobuf runtime.

The Swift tests (GoldenFixtureTests.swift) build the same messages field by field and
require byte-identical encodings, so an accidental schema change (renumbered field,
changed type) or an encoder difference fails a test. Run from the repo root:

    scripts/generate-protos --python /tmp/earshot-py
    PYTHONPATH=/tmp/earshot-py python3 Tests/WireTests/Fixtures/make_fixtures.py

Only regenerate after an intentional, compatible schema change. Floats are exactly
representable and maps have at most one entry so that the encoding is deterministic.
"""
import hashlib
import os

from earshot.v1 import ack_pb2, clip_pb2, common_pb2, desired_pb2, event_pb2, model_pb2, status_pb2, verdict_pb2

HERE = os.path.dirname(os.path.abspath(__file__))


def model_ref(version):
    return common_pb2.ModelRef(family="fan-ae", version=version, sha256=bytes(range(32)))


def verdict_batch():
    b = verdict_pb2.VerdictBatch(schema_version=1, agent_id="agent-01", created_at_ms=1_763_700_000_000)
    b.verdicts.add(seq=41, asset_id="fan-3", window_start_ms=1_763_699_999_000, window_length_ms=1000,
                   model_family="fan-ae", model_version=7, score=0.25, threshold=0.5, label="normal",
                   asset_state=common_pb2.ASSET_STATE_NORMAL, anomalous=False)
    b.verdicts.add(seq=42, asset_id="fan-3", window_start_ms=1_763_700_000_000, window_length_ms=1000,
                   model_family="fan-clf", model_version=3, score=0.875, threshold=0.5, label="abnormal",
                   class_probabilities=[0.125, 0.875], asset_state=common_pb2.ASSET_STATE_WARNING, anomalous=True)
    return b


def clip():
    return clip_pb2.Clip(schema_version=1, clip_id="c-0001", agent_id="agent-01", asset_id="fan-3", seq=43,
                         window_start_ms=1_763_700_000_000, duration_ms=10_000,
                         reason=clip_pb2.CLIP_REASON_ANOMALY, codec=clip_pb2.AUDIO_CODEC_FLAC,
                         sample_rate_hz=16000, channels=1, audio=b"fLaC\x00\x00\x00\x22", verdict_seq=42)


def agent_status():
    s = status_pb2.AgentStatus(schema_version=1, agent_id="agent-01", connection=status_pb2.CONNECTION_STATE_ONLINE,
                               software_version="0.1.0", spool_depth=12, spool_bytes=4096, uptime_s=3600,
                               cpu_percent=0.5, rss_bytes=12_582_912, reported_at_ms=1_763_700_000_000,
                               last_seq=43, applied_generation=5)
    s.assets.add(asset_id="fan-3", machine_type="fan", line="line-a", input="hw:0")
    s.models.add(model=model_ref(7), asset_ids=["fan-3"], loaded_at_ms=1_763_600_000_000)
    return s


def agent_event():
    e = event_pb2.AgentEvent(schema_version=1, agent_id="agent-01", seq=44, occurred_at_ms=1_763_700_000_500,
                             severity=event_pb2.EVENT_SEVERITY_WARNING, message="spool full")
    e.spool_drop.CopyFrom(event_pb2.SpoolDrop(first_seq=10, last_seq=19, reason=event_pb2.SPOOL_DROP_REASON_SIZE_LIMIT,
                                              dropped_verdicts=10, dropped_bytes=2048))
    return e


def ack():
    return ack_pb2.Ack(schema_version=1, agent_id="agent-01", highest_contiguous_seq=42,
                       acked_at_ms=1_763_700_001_000, hub_id="hub-a")


def desired_state():
    d = desired_pb2.DesiredState(schema_version=1, agent_id="agent-01", generation=6,
                                 issued_at_ms=1_763_700_002_000, rollout_id="r-9")
    d.models.add(family="fan-ae", version=8, artifact_topic="earshot/v1/plant-a/models/fan-ae/8",
                 sha256=bytes(range(32)), size_bytes=123_456, asset_ids=["fan-3"])
    d.settings.clip_policy.upload_anomalies = True
    d.settings.clip_policy.normal_sample_probability = 0.125
    d.settings.clip_policy.max_clips_per_hour = 30
    d.settings.clip_policy.requests.add(request_id="q-1", asset_id="fan-3")
    d.settings.alarm_policy.warning_k = 3
    d.settings.alarm_policy.warning_n = 5
    d.settings.verdict_batch_max = 256
    return d


def model_artifact():
    a = model_pb2.ModelArtifact(format_version=1, family="fan-ae", version=8, created_at_ms=1_763_700_003_000,
                                task=model_pb2.MODEL_TASK_ANOMALY_SCORE, labels=["normal", "anomaly"],
                                dataset_fingerprint="ab" * 32, parent_version=7, machine_type="fan")
    f = a.features
    f.kind = model_pb2.FEATURE_KIND_DCASE_FRAMES
    f.sample_rate_hz = 16000
    f.n_fft = 1024
    f.hop_length = 512
    f.window = model_pb2.WINDOW_FUNCTION_HANN
    f.n_mels = 128
    f.fmax_hz = 8000.0
    f.mel_norm = model_pb2.MEL_NORM_SLANEY
    f.center = True
    f.pad_mode = model_pb2.PAD_MODE_REFLECT
    f.power = 2.0
    f.db_scaling = model_pb2.DB_SCALING_DCASE_LOG
    f.log_epsilon = 0.0
    f.top_db = 80.0
    f.frames = 5
    f.window_seconds = 1.0
    f.channel_mode = model_pb2.CHANNEL_MODE_SINGLE
    g = a.graph
    g.tensors.add(name="input", shape=[640], dtype=model_pb2.DATA_TYPE_INT8,
                  quant=model_pb2.QuantParams(scale=[0.5], zero_point=[-3]))
    g.tensors.add(name="dense1", shape=[2], dtype=model_pb2.DATA_TYPE_INT8,
                  quant=model_pb2.QuantParams(scale=[0.25], zero_point=[0]))
    g.layers.add(name="dense1", op=model_pb2.OP_TYPE_DENSE, inputs=[0], outputs=[1],
                 window=model_pb2.WindowParams(filters=2), activation=model_pb2.FUSED_ACTIVATION_RELU,
                 weights_int8=bytes([1, 255, 2, 254]), weights_shape=[2, 2], weight_scales=[0.5, 0.25],
                 weight_zero_points=[0, 0], bias_int32=[100, -100])
    g.inputs.append(0)
    g.outputs.append(1)
    a.thresholds.anomaly = 0.75
    a.thresholds.method = "p99 of normal validation scores"
    a.metrics["eval.auc"] = 0.875
    return a


def signed_artifact():
    body = model_artifact().SerializeToString()
    return model_pb2.SignedArtifact(magic=0x4D534845, envelope_version=1, artifact=body,
                                    sha256=hashlib.sha256(body).digest(), signature=bytes([7]) * 64,
                                    key_id="0011223344556677", family="fan-ae", version=8)


FIXTURES = {
    "verdict_batch": verdict_batch,
    "clip": clip,
    "agent_status": agent_status,
    "agent_event": agent_event,
    "ack": ack,
    "desired_state": desired_state,
    "model_artifact": model_artifact,
    "signed_artifact": signed_artifact,
}

if __name__ == "__main__":
    for name, build in FIXTURES.items():
        with open(os.path.join(HERE, name + ".bin"), "wb") as fh:
            fh.write(build().SerializeToString())
        print("wrote", name + ".bin")
