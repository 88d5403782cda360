#!/usr/bin/env python3
"""Makes the Keras forward-parity fixtures for TrainingTests.

Run from this directory:  python3 make_keras_fixtures.py   (needs tensorflow-cpu; Keras 3)

Format: every array is a float32 `.npy` file `<set>_<index>.npy`; `<set>.json` lists them in order as
{"name", "shape", "file"}.
Weights are listed in the order Earshot's `ModelGraph.filledWithKerasWeights` consumes them: per layer,
Keras `get_weights()` order (conv/dense: kernel, bias; BatchNorm: gamma, beta, moving_mean,
moving_variance; GeM: p), residual blocks main branch first, then the shortcut.
For the forward sets the last two arrays are the input and Keras' inference-mode output. The training-step
sets (`*_step`) hold the weights before, then the weights after Keras' optimizer steps (same order, names
prefixed `after.`), then `input`, `target` and the first step's `loss`.
"""
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np
import keras
from keras import layers, ops

keras.utils.set_random_seed(1234)
rng = np.random.default_rng(1234)


class GeM(layers.Layer):
    """Generalised-mean pooling over H, W with one learnable p (init 3), eps 1e-6."""

    def __init__(self, p=3.0, eps=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.p0, self.eps = p, eps

    def build(self, input_shape):
        self.p = self.add_weight(shape=(1,), initializer=keras.initializers.Constant(self.p0), name="p")

    def call(self, x):
        x = ops.power(ops.maximum(x, self.eps), self.p)
        return ops.power(ops.mean(x, axis=[1, 2]), 1.0 / self.p)


def write(name, arrays):
    entries = []
    for i, (label, a) in enumerate(arrays):
        a = np.ascontiguousarray(a, dtype="<f4")
        file = f"{name}_{i}.npy"
        np.save(file, a)
        entries.append({"name": label, "shape": list(a.shape), "file": file})
    with open(f"{name}.json", "w") as f:
        json.dump({"arrays": entries}, f, indent=1)


def seed000():
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
    x = (rng.standard_normal((6, 40, 1)) * 20).astype("f4")  # MFCC-like magnitudes
    y = model.predict(x, verbose=0)
    arrays = []
    for layer in model.layers:
        for w, label in zip(layer.get_weights(), ["kernel", "bias"]):
            arrays.append((f"{layer.name}.{label}", w))
    write("seed000", arrays + [("input", x), ("output", y)])


def bn(x, arrays_later):
    # PyTorch's default running-statistics rate (momentum 0.1 there, 0.9 here), as Earshot's ResNets use.
    layer = layers.BatchNormalization(momentum=0.9, epsilon=1e-3)
    arrays_later.append(layer)
    return layer(x)


def small_resnet():
    order = []  # layers in Earshot traversal order

    def conv(x, filters, k, s):
        layer = layers.Conv2D(filters, k, strides=s, padding="same", use_bias=False)
        order.append(layer)
        return layer(x)

    def block(x, filters, stride):
        y = conv(x, filters, 3, stride)
        y = bn(y, order)
        y = layers.ReLU()(y)
        y = conv(y, filters, 3, 1)
        y = bn(y, order)
        if stride != 1 or x.shape[-1] != filters:
            x = conv(x, filters, 1, stride)
            x = bn(x, order)
        return layers.ReLU()(layers.Add()([y, x]))

    inp = keras.Input((16, 12, 1))
    x = conv(inp, 8, 7, 2)
    x = bn(x, order)
    x = layers.ReLU()(x)
    x = layers.MaxPooling2D(3, strides=2, padding="same")(x)
    x = block(x, 8, 1)
    x = block(x, 16, 2)
    gem = GeM()
    order.append(gem)
    x = gem(x)
    dense = layers.Dense(3, activation="sigmoid")
    order.append(dense)
    out = dense(x)
    model = keras.Model(inp, out)
    # Non-trivial BatchNorm statistics and a non-default p so inference exercises every term.
    for layer in order:
        if isinstance(layer, layers.BatchNormalization):
            c = layer.gamma.shape[0]
            layer.set_weights([
                rng.uniform(0.5, 1.5, c), rng.uniform(-0.3, 0.3, c),
                rng.uniform(-0.2, 0.2, c), rng.uniform(0.5, 2.0, c)])
    gem.set_weights([np.array([2.5], "f4")])
    x = rng.standard_normal((4, 16, 12, 1)).astype("f4")
    y = model.predict(x, verbose=0)
    arrays = []
    for layer in order:
        for i, w in enumerate(layer.get_weights()):
            arrays.append((f"{layer.name}.{i}", w))
    write("resnet_gem", arrays + [("input", x), ("output", y)])

    # One plain-SGD step (lr 0.1, BCE) in training mode: BatchNorm batch statistics and moving-average
    # updates, GeM's p gradient, residual and max-pool backward, all against TensorFlow's autodiff.
    target = rng.integers(0, 2, (4, 3)).astype("f4")
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="binary_crossentropy")
    loss = model.train_on_batch(x, target)
    after = []
    for layer in order:
        for i, w in enumerate(layer.get_weights()):
            after.append((f"after.{layer.name}.{i}", w))
    write("resnet_gem_step", arrays + after + [("input", x), ("target", target), ("loss", np.array([loss], "f4"))])


def autoencoder_step():
    """A small DCASE-style autoencoder (Dense+BN+ReLU, linear output), MSE, Adam lr 0.01, 3 full-batch steps."""
    inp = keras.Input((12,))
    order = []
    h = inp
    for units in [6, 3]:
        dense = layers.Dense(units)
        order.append(dense)
        h = dense(h)
        h = bn(h, order)
        h = layers.ReLU()(h)
    out_layer = layers.Dense(12)
    order.append(out_layer)
    model = keras.Model(inp, out_layer(h))
    x = rng.standard_normal((8, 12)).astype("f4")
    before = []
    for layer in order:
        for i, w in enumerate(layer.get_weights()):
            before.append((f"{layer.name}.{i}", w))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    loss = model.train_on_batch(x, x)
    model.train_on_batch(x, x)
    model.train_on_batch(x, x)
    after = []
    for layer in order:
        for i, w in enumerate(layer.get_weights()):
            after.append((f"after.{layer.name}.{i}", w))
    write("autoencoder_step", before + after + [("input", x), ("target", x), ("loss", np.array([loss], "f4"))])


def padding_ops():
    """Odd sizes, even kernels and strides > 1 with `same` padding, where TF puts the extra pad right/bottom."""
    one = keras.Sequential([
        keras.Input((11, 3)),
        layers.Conv1D(4, 4, strides=2, padding="same"),
        layers.AveragePooling1D(3, strides=2, padding="same"),
        layers.Conv1D(2, 2, strides=3, padding="same"),
    ])
    x = rng.standard_normal((3, 11, 3)).astype("f4")
    arrays = [(f"{l.name}.{i}", w) for l in one.layers for i, w in enumerate(l.get_weights())]
    write("padding1d", arrays + [("input", x), ("output", one.predict(x, verbose=0))])
    two = keras.Sequential([
        keras.Input((9, 8, 2)),
        layers.Conv2D(3, (4, 3), strides=(2, 3), padding="same"),
        layers.AveragePooling2D((3, 2), strides=(2, 2), padding="same"),
        layers.MaxPooling2D(2, strides=2, padding="same"),
    ])
    x = rng.standard_normal((3, 9, 8, 2)).astype("f4")
    arrays = [(f"{l.name}.{i}", w) for l in two.layers for i, w in enumerate(l.get_weights())]
    write("padding2d", arrays + [("input", x), ("output", two.predict(x, verbose=0))])


if __name__ == "__main__":
    seed000()
    small_resnet()
    autoencoder_step()
    padding_ops()
    print("keras", keras.__version__)
