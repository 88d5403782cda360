#!/usr/bin/env python3
"""Keras peer for the training benchmark: seed 000's network, BCE, Adam (Keras defaults), batch 32,
20 epochs, no validation split, on the same files `earshot train` uses; prints wall time and test accuracy.
Usage: python3 bench/train_keras.py DATADIR [--threads N] [--seed S]   (N = TF intra/inter-op threads; 0 = TF default)"""
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np
import tensorflow as tf

data = sys.argv[1]
threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 0
if threads:
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)
import keras
from keras import layers

keras.utils.set_random_seed(int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 0)
x_train = np.load(f"{data}/X_train.npy")[..., None]
y_train = np.load(f"{data}/y_train.npy")
x_test = np.load(f"{data}/X_test.npy")[..., None]
y_test = np.load(f"{data}/y_test.npy")
model = keras.Sequential([
    keras.Input((40, 1)),
    layers.Conv1D(64, 10, activation="relu"),
    layers.Dropout(0.4),
    layers.MaxPooling1D(4),
    layers.Conv1D(128, 10, padding="same", activation="relu"),
    layers.Dropout(0.4),
    layers.MaxPooling1D(4),
    layers.Flatten(),
    layers.Dense(64),
    layers.Dropout(0.4),
    layers.Dense(2, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
start = time.perf_counter()
model.fit(x_train, y_train, batch_size=32, epochs=20, verbose=0, shuffle=True)
elapsed = time.perf_counter() - start
p = model.predict(x_test, verbose=0)
accuracy = float(np.mean(np.argmax(p, 1) == np.argmax(y_test, 1)))
print(f"keras: fit {elapsed:.2f} s, test accuracy {accuracy:.4f} (threads {threads or 'default'})")
