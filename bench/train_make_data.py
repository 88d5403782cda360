#!/usr/bin/env python3
"""Synthetic mean-MFCC-like data for the training benchmark: 4,440 training and 1,110 test vectors of 40
values (seed 000's 5,550 clips at 80/20), two classes ([abnormal, normal] one-hot, 26.6% abnormal as in
MIMII 0 dB fans). Class differences are small and partly non-linear so neither trainer reaches 100%.
Usage: python3 bench/train_make_data.py OUTDIR"""
import sys

import numpy as np

out = sys.argv[1] if len(sys.argv) > 1 else "."
rng = np.random.default_rng(2026)
n = 5550
normal = rng.random(n) > 0.266
base = np.linspace(-300, 20, 40) * np.exp(-np.arange(40) / 15)  # MFCC-like decaying profile
x = base + rng.normal(0, 6, (n, 40))
shift = np.zeros((n, 40))
k = np.arange(40)
# Abnormal: a bump around coefficients 5–12 whose sign depends on the 2nd coefficient (non-linear).
bump = 12.0 * np.exp(-((k - 8) ** 2) / 8)
sign = np.where(x[:, 1] > np.median(x[:, 1]), 1.0, -1.0)
shift[~normal] = bump * sign[~normal, None]
x = (x + shift).astype("f4")
y = np.stack([~normal, normal], axis=1).astype("f4")
np.save(f"{out}/X_train.npy", x[:4440]); np.save(f"{out}/y_train.npy", y[:4440])
np.save(f"{out}/X_test.npy", x[4440:]); np.save(f"{out}/y_test.npy", y[4440:])
print("abnormal fraction", 1 - normal.mean())
