"""LiteRT (TFLite) peer for `earshot bench inference`: Keras twins of the same networks, converted to
TFLite float32 and full-int8 (representative_dataset, int8 input and output), timed single-threaded.

Prints one JSON object: {"networks": [{"network", "input_shape", "litert_float_median_ms",
"litert_int8_median_ms", "float_bytes", "int8_bytes", "float_peak_rss_kb", "int8_peak_rss_kb", "runs"}]}.
The peak RSS is that of a child process that only loads the .tflite file and invokes it 20 times. Uses ai_edge_litert's Interpreter when
installed, else tf.lite.Interpreter (the same runtime, bundled with tensorflow-cpu).
"""
import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

try:
    from ai_edge_litert.interpreter import Interpreter
    RUNTIME = "ai_edge_litert"
except ImportError:
    Interpreter = tf.lite.Interpreter
    RUNTIME = "tf.lite"

L = tf.keras.layers


def seed000():
    # Seed 000 exactly (Dropout is identity at inference and omitted).
    x = inp = L.Input((40, 1))
    x = L.Conv1D(64, 10, activation="relu")(x)
    x = L.MaxPooling1D(4)(x)
    x = L.Conv1D(128, 10, padding="same", activation="relu")(x)
    x = L.MaxPooling1D(4)(x)
    x = L.Flatten()(x)
    x = L.Dense(64)(x)
    x = L.Dense(2, activation="sigmoid")(x)
    return tf.keras.Model(inp, x)


class GeM(L.Layer):
    def call(self, x):
        return tf.pow(tf.reduce_mean(tf.pow(tf.maximum(x, 1e-6), 3.0), axis=[1, 2]), 1.0 / 3.0)


def resnet(stem_width, stem_kernel, widths, blocks, shape=(128, 216, 1), classes=4, embedding=None):
    # Mirrors Training's ResNetLayout: conv-BN-ReLU stem (stride 2) + 3×3/2 max pool, BasicBlocks,
    # GeM, Dense, softmax; with `embedding`, GeM then Dense(embedding, no bias) and BatchNorm
    # (ResNetLayout.embeddingGraph, resnet-arcface's deployed network).
    def conv(x, f, k, s):
        return L.Conv2D(f, k, strides=s, padding="same", use_bias=False)(x)

    x = inp = L.Input(shape)
    x = L.ReLU()(L.BatchNormalization()(conv(x, stem_width, stem_kernel, 2)))
    x = L.MaxPooling2D(3, 2, padding="same")(x)
    channels = stem_width
    for stage, (width, count) in enumerate(zip(widths, blocks)):
        for block in range(count):
            stride = 2 if stage > 0 and block == 0 else 1
            y = L.ReLU()(L.BatchNormalization()(conv(x, width, 3, stride)))
            y = L.BatchNormalization()(conv(y, width, 3, 1))
            shortcut = x
            if stride != 1 or channels != width:
                shortcut = L.BatchNormalization()(conv(x, width, 1, stride))
            x = L.ReLU()(L.Add()([y, shortcut]))
            channels = width
    x = GeM()(x)
    if embedding:
        x = L.BatchNormalization()(L.Dense(embedding, use_bias=False)(x))
    else:
        x = L.Dense(classes, activation="softmax")(x)
    return tf.keras.Model(inp, x)


NETWORKS = {
    "seed000": (seed000, (40, 1)),
    "resnet-small": (lambda: resnet(16, 3, [16, 32, 48, 64], [1, 1, 1, 1]), (128, 216, 1)),
    "resnet-arcface": (lambda: resnet(16, 3, [16, 32, 48, 64], [1, 1, 1, 1], shape=(64, 32, 1), embedding=32), (64, 32, 1)),
    "resnet18": (lambda: resnet(64, 7, [64, 128, 256, 512], [2, 2, 2, 2]), (128, 216, 1)),
    "resnet34": (lambda: resnet(64, 7, [64, 128, 256, 512], [3, 4, 6, 3]), (128, 216, 1)),
}


def convert(model, shape, int8):
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if int8:
        rng = np.random.default_rng(0)

        def representative():
            for _ in range(16):
                yield [rng.uniform(-3, 3, (1,) + shape).astype(np.float32)]

        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = representative
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
    return converter.convert()


def median_ms(blob, runs):
    interpreter = Interpreter(model_content=blob, num_threads=1)
    interpreter.allocate_tensors()
    detail = interpreter.get_input_details()[0]
    x = np.zeros(detail["shape"], dtype=detail["dtype"])
    interpreter.set_tensor(detail["index"], x)
    for _ in range(max(runs // 10, 3)):
        interpreter.invoke()
    times = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        interpreter.invoke()
        times.append((time.perf_counter_ns() - start) / 1e6)
    return statistics.median(times)


RUNNER = """
import sys
import numpy as np
try:
    from ai_edge_litert.interpreter import Interpreter
except ImportError:
    from tensorflow.lite import Interpreter
interpreter = Interpreter(model_path=sys.argv[1], num_threads=1)
interpreter.allocate_tensors()
detail = interpreter.get_input_details()[0]
interpreter.set_tensor(detail["index"], np.zeros(detail["shape"], dtype=detail["dtype"]))
for _ in range(20):
    interpreter.invoke()
"""


def peak_rss_kb(blob):
    """Peak RSS (kB) of a fresh Python process that loads `blob` and invokes it 20 times, measured by GNU
    time (a child forked from this large process would inherit its high-water mark through exec)."""
    with tempfile.NamedTemporaryFile(suffix=".tflite") as f, tempfile.NamedTemporaryFile("r") as report:
        f.write(blob)
        f.flush()
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name, sys.executable, "-c", RUNNER, f.name], check=True)
        return int(report.read().split()[-1])


def blobs(name, cache):
    """The float and int8 .tflite bytes of network `name`, converted once per cache directory."""
    paths = [os.path.join(cache, f"{name}-{kind}.tflite") for kind in ("float", "int8")] if cache else None
    if paths and all(os.path.exists(p) for p in paths):
        return tuple(open(p, "rb").read() for p in paths)
    build, shape = NETWORKS[name]
    # The converter prints export paths on stdout; keep stdout for the JSON.
    with contextlib.redirect_stdout(sys.stderr):
        model = build()
        result = (convert(model, shape, int8=False), convert(model, shape, int8=True))
    if paths:
        for path, blob in zip(paths, result):
            with open(path, "wb") as f:
                f.write(blob)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--networks", default="seed000,resnet-small")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--cache", help="directory for the converted .tflite files, reused when present")
    parser.add_argument("--no-rss", action="store_true", help="skip the peak-RSS child processes")
    args = parser.parse_args()
    rows = []
    for name in args.networks.split(","):
        float_blob, int8_blob = blobs(name, args.cache)
        rows.append({
            "network": name, "input_shape": list(NETWORKS[name][1]), "runtime": RUNTIME,
            "litert_float_median_ms": median_ms(float_blob, args.runs),
            "litert_int8_median_ms": median_ms(int8_blob, args.runs),
            "float_bytes": len(float_blob), "int8_bytes": len(int8_blob),
            "float_peak_rss_kb": None if args.no_rss else peak_rss_kb(float_blob),
            "int8_peak_rss_kb": None if args.no_rss else peak_rss_kb(int8_blob), "runs": args.runs,
        })
    print(json.dumps({"networks": rows}, indent=2))


if __name__ == "__main__":
    main()
