#!/usr/bin/env python3
"""librosa side of the feature benchmark: MFCC-40 and 128-mel log-mel (librosa defaults) of one clip.

Usage: features_librosa.py CLIP [--runs N] [--json]
Times the same computations `earshot bench features` times, single-threaded (numba/BLAS threads pinned to 1
by bench/features.sh), on the clip loaded like seed 000 (librosa.load(sr=None): mono mean, float32).
"""
import argparse
import json
import time

import librosa
import numpy as np


def median_ms(fn, runs):
    for _ in range(10):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    times.sort()
    return times[len(times) // 2], times[len(times) // 10], times[len(times) * 9 // 10]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("clip")
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    y, sr = librosa.load(args.clip, sr=None)
    results = {}
    for name, fn in [
        ("mfcc40", lambda: librosa.feature.mfcc(y=y, sr=sr, n_mfcc=40)),
        ("logmel128", lambda: librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=sr, n_mels=128))),
    ]:
        med, p10, p90 = median_ms(fn, args.runs)
        results[name] = {"median_ms": med, "p10_ms": p10, "p90_ms": p90, "runs": args.runs}
    report = {"librosa": librosa.__version__, "numpy": np.__version__, "clip": args.clip,
              "clip_seconds": len(y) / sr, "sample_rate": sr, "single_thread": results}
    if args.json:
        print(json.dumps(report, indent=1, sort_keys=True))
    else:
        for name, r in results.items():
            print(f"{name:<10} median {r['median_ms']:.3f} ms  (p10 {r['p10_ms']:.3f}, p90 {r['p90_ms']:.3f}, {r['runs']} runs)")


if __name__ == "__main__":
    main()
