#!/usr/bin/env python3
"""Fixtures for NumPyTests: files numpy writes, and malformed variants. Run from this directory."""
import numpy as np

np.save("onehot_f4.npy", np.array([[1, 0], [0, 1], [0, 1]], dtype="<f4"))  # seed 000's [abnormal, normal]
np.save("labels_i8.npy", np.array([0, 1, 1, 0], dtype="<i8"))
np.save("labels_i4.npy", np.array([0, 1, 1, 0], dtype="<i4"))
np.save("features_f8.npy", np.arange(6, dtype="<f8").reshape(2, 3))
with open("v2_f4.npy", "wb") as f:
    np.lib.format.write_array(f, np.array([[1, 2], [3, 4]], dtype="<f4"), version=(2, 0))

good = open("onehot_f4.npy", "rb").read()  # 128-byte preamble + 24 data bytes
open("bad_magic.npy", "wb").write(b"\x93NUMPZ" + good[6:])
open("truncated.npy", "wb").write(good[:128 + 10])
open("header_cut.npy", "wb").write(good[:40])
open("version9.npy", "wb").write(good[:6] + b"\x09\x00" + good[8:])
np.save("fortran.npy", np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)))
np.save("bigendian.npy", np.arange(3, dtype=">f4"))
np.save("complex.npy", np.arange(3, dtype="<c8"))
np.save("bool.npy", np.array([True, False]))
