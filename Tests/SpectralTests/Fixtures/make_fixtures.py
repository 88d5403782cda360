#!/usr/bin/env python3
"""Golden fixtures for SpectralTests, computed with librosa 0.11.

Run from this directory:  python3 make_fixtures.py [path/to/shared/data]

Writes
  synthetic.npy           2 s float32 test signal (tones + noise + click), 16 kHz, the exact input
  mimii_fan_id00_2s.wav   first 2 s of MIMII 0_dB_fan/fan/id_00/normal/00000000.wav, 8-channel mean,
                          16-bit PCM (see ATTRIBUTION.md)
  <clip>__<case>.npy      features as (frames, features) float32, C order
  mel__<case>.npy         mel weights (n_mels, 1 + n_fft // 2) float32
  full__*.npy             seed 000's 40-MFCC mean of whole 10 s MIMII clips (the audio itself is not committed)
  manifest.json           the parameters of every case, read by the Swift tests
"""
import json
import os
import sys

import librosa
import numpy as np
import soundfile as sf

assert librosa.__version__.startswith("0.11"), librosa.__version__

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../../../shared/data")
SR = 16000


def synthetic():
    rng = np.random.default_rng(20240611)
    t = np.arange(2 * SR) / SR
    y = (0.30 * np.sin(2 * np.pi * 120.0 * t)
         + 0.20 * np.sin(2 * np.pi * 1250.0 * t + 0.3)
         + 0.05 * np.sin(2 * np.pi * 6100.0 * t)
         + 0.02 * rng.standard_normal(t.size))
    y[SR // 2 : SR // 2 + 40] += 0.5  # a click
    return y.astype(np.float32)


def mimii():
    src = os.path.join(DATA, "mimii/0_dB_fan/fan/id_00/normal/00000000.wav")
    x, sr = sf.read(src, dtype="float32", always_2d=True)
    assert sr == SR
    mono = x[: 2 * SR].mean(axis=1)
    sf.write(os.path.join(HERE, "mimii_fan_id00_2s.wav"), mono, SR, subtype="PCM_16")
    y, sr = librosa.load(os.path.join(HERE, "mimii_fan_id00_2s.wav"), sr=None)
    assert sr == SR and y.dtype == np.float32
    return y


# Feature cases. Keys mirror the Swift FeatureSpec; defaults are librosa's.
CASES = {
    "logmel_default": dict(kind="logmel"),
    "logmel_nocenter": dict(kind="logmel", center=False),
    "logmel_reflect": dict(kind="logmel", pad_mode="reflect"),
    "logmel_htk_nonorm": dict(kind="logmel", htk=True, norm=None, fmin=50.0, fmax=7000.0, n_mels=64),
    "logmel_topdb_none": dict(kind="logmel", top_db=None),
    "logmel_refmax": dict(kind="logmel", ref="max"),
    "logmel_nfft1024": dict(kind="logmel", n_fft=1024, hop_length=256),
    "logmel_winlength": dict(kind="logmel", n_fft=2048, win_length=1600, hop_length=400),
    "mel_power": dict(kind="mel", n_mels=40),
    "mel_magnitude": dict(kind="mel", n_mels=40, power=1.0),
    "power_nfft512": dict(kind="power", n_fft=512, hop_length=256),
    "magnitude_nfft512": dict(kind="power", n_fft=512, hop_length=256, power=1.0),
    "mfcc_default40": dict(kind="mfcc", n_mfcc=40),
    "mfcc_lifter": dict(kind="mfcc", n_mfcc=20, lifter=22.0),
    "mfcc_htk_nocenter": dict(kind="mfcc", n_mfcc=13, htk=True, center=False, top_db=None),
    "dcase_frames": dict(kind="dcase-frames", n_fft=1024, hop_length=512, n_mels=128, frames=5),
}

MEL_CASES = {
    "slaney_1024_64": dict(n_fft=1024, n_mels=64),
    "htk_nonorm_512_40": dict(n_fft=512, n_mels=40, htk=True, norm=None, fmin=50.0, fmax=7000.0),
    "slaney_22050_1024_64_50_11025": dict(sr=22050, n_fft=1024, n_mels=64, fmin=50.0, fmax=11025.0),
    "htk_slaneynorm_512_40": dict(n_fft=512, n_mels=40, htk=True),
}


FULL_CLIPS = {
    "0_dB_fan/fan/id_00/normal/00000000.wav": None,
    "0_dB_pump/pump/id_06/abnormal/00000000.wav": None,
}


def features(y, c):
    n_fft = c.get("n_fft", 2048)
    hop = c.get("hop_length", 512)
    power = c.get("power", 2.0)
    stft = dict(n_fft=n_fft, hop_length=hop, win_length=c.get("win_length"),
                center=c.get("center", True), pad_mode=c.get("pad_mode", "constant"))
    mel = dict(n_mels=c.get("n_mels", 128), fmin=c.get("fmin", 0.0), fmax=c.get("fmax"),
               htk=c.get("htk", False), norm=c.get("norm", "slaney"))
    kind = c["kind"]
    if kind == "power":
        return np.abs(librosa.stft(y, **stft)) ** power
    S = librosa.feature.melspectrogram(y=y, sr=SR, power=power, **stft, **mel)
    if kind == "mel":
        return S
    if kind == "dcase-frames":
        # DCASE 2020 Task 2 baseline, common.py file_to_vector_array
        frames = c["frames"]
        log_mel = 20.0 / power * np.log10(S + sys.float_info.epsilon)
        n_mels = log_mel.shape[0]
        n_vectors = log_mel.shape[1] - frames + 1
        vectors = np.zeros((n_vectors, n_mels * frames), np.float32)
        for t in range(frames):
            vectors[:, n_mels * t : n_mels * (t + 1)] = log_mel[:, t : t + n_vectors].T
        return vectors.T  # transposed back below
    ref = np.max if c.get("ref") == "max" else 1.0
    top_db = c.get("top_db", 80.0)
    if kind == "logmel":
        return librosa.power_to_db(S, ref=ref, top_db=top_db)
    if kind == "mfcc":
        return librosa.feature.mfcc(S=librosa.power_to_db(S, ref=ref, top_db=top_db),
                                    n_mfcc=c["n_mfcc"], lifter=c.get("lifter", 0.0))
    raise ValueError(kind)


def save(name, array):
    np.save(os.path.join(HERE, name), np.ascontiguousarray(array, dtype=np.float32))


def main():
    clips = {"synthetic": synthetic(), "mimii": mimii()}
    np.save(os.path.join(HERE, "synthetic.npy"), clips["synthetic"])
    for clip, y in clips.items():
        for case, c in CASES.items():
            save(f"{clip}__{case}.npy", features(y, c).T)
        # seed 000's clip vector: np.mean(librosa.feature.mfcc(y=y, sr=sr, n_mfcc=40).T, axis=0)
        save(f"{clip}__mfcc40_mean.npy", np.mean(librosa.feature.mfcc(y=y, sr=SR, n_mfcc=40).T, axis=0))
    # Whole 10 s, 8-channel originals (read from the shared data by the real-data test), seed 000's vector.
    for rel in FULL_CLIPS:
        y, sr = librosa.load(os.path.join(DATA, "mimii", rel), sr=None)
        name = rel.split("/")[0] + "_" + rel.split("/")[2] + "_" + rel.split("/")[3]
        save(f"full__{name}__mfcc40_mean.npy", np.mean(librosa.feature.mfcc(y=y, sr=sr, n_mfcc=40).T, axis=0))
        FULL_CLIPS[rel] = f"full__{name}__mfcc40_mean.npy"
    for case, c in MEL_CASES.items():
        c = dict(c)
        sr = c.pop("sr", SR)
        save(f"mel__{case}.npy", librosa.filters.mel(sr=sr, **c))
        MEL_CASES[case] = dict(c, sr=sr)
    with open(os.path.join(HERE, "manifest.json"), "w") as f:
        json.dump({"librosa": librosa.__version__, "sample_rate": SR, "clips": list(clips),
                   "cases": CASES, "mel_cases": MEL_CASES,
                   "full_clips": FULL_CLIPS}, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
