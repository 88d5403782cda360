#!/usr/bin/env python3
"""Real-data detection benchmark: learn each machine from its normal clips in the shared recordings and
judge the rest, with configs/anomaly.yaml (band-baseline), configs/resnet-arcface.yaml and
configs/dcase-autoencoder.yaml side by side.

Usage: bench/real/real_bench.py EARSHOT DATA WORK [--only NAME,...] [--detectors NAME,...]

The split is fixed (the same on every run) and written here:
- mimii/fan/id_00 (12 normal + 12 abnormal recordings): learn from normal 00000000-00000005, the six
  earliest; judge normal 00000006-00000011 and all twelve abnormal ones.
- Every other MIMII machine (one normal and one abnormal recording): learn from the first 5 s of the normal
  recording; judge its last 5 s cut into two 2.5 s clips and the abnormal recording cut into four.
- DCASE 2020 test clips, per machine type and id: learn from the id's first normal clip (by name) and judge
  its other normal clips and its anomalies; an id with a single normal clip is split like a MIMII machine.
  An id with training clips (`<type>/train/normal_id_NN_*.wav`, DCASE's own protocol) learns from all of
  them and is judged on all its test clips.
- MIMII at another SNR than 0 dB (`6_dB_fan/…`) is another machine row, `mimii/6_dB/fan/id_00`; a MIMII
  machine with several normal recordings learns from the earlier half of them, like fan id_00.
Machines learned from less than 10 s use that as minimum_normal_seconds (the configs' own minimum is 10 s).

band-baseline and the autoencoder learn each machine on its own. resnet-arcface learns one embedding that
tells all 37 machines apart from their learning clips (each machine's outliers are the others; only
normal learning audio is used), then each machine's own baseline and threshold in it: one training run
(manifest.csv in WORK), judged per machine.

Per machine and detector: AUC and pAUC (int8, with the float model's AUC beside it in results.json) (max FPR 0.1) on clip scores, and the share of abnormal and of
normal clips flagged at the model's threshold (band-baseline: the agent's 3-of-5 warning rule over the
clip's windows; autoencoder: clip mean above its threshold), all from `earshot eval --json` on the int8
artifact. Writes results.json and results.md into WORK and prints the table.
"""
import glob
import json
import os
import re
import subprocess
import sys
import time

import numpy as np
import soundfile as sf

DETECTORS = [
    ("band-baseline", "configs/anomaly.yaml"),
    ("resnet-arcface", "configs/resnet-arcface.yaml"),
    ("autoencoder", "configs/dcase-autoencoder.yaml"),
]
# Detectors that learn every machine in one run (the others learn each machine on its own).
SHARED = {"resnet-arcface"}


def mono(path):
    x, rate = sf.read(path, dtype="float32", always_2d=True)
    return x.mean(axis=1), rate


def write(path, samples, rate):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    sf.write(path, samples, rate, subtype="PCM_16")


def link(src, dst):
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    os.symlink(os.path.abspath(src), dst)


def split_single(root, kind, ident, normal, abnormal):
    """One normal and some abnormal recordings: learn the normal's first half, judge 2.5 s pieces."""
    x, rate = mono(normal)
    half = len(x) // 2
    write(f"{root}/{kind}/train/normal_id_{ident}_00000000.wav", x[:half], rate)
    quarter = half // 2
    for k, start in enumerate((half, half + quarter)):
        write(f"{root}/{kind}/test/normal_id_{ident}_{k:08d}.wav", x[start : start + quarter], rate)
    n = 0
    for path in abnormal:
        y, rate = mono(path)
        for start in range(0, len(y) - quarter + 1, quarter):
            write(f"{root}/{kind}/test/anomaly_id_{ident}_{n:08d}.wav", y[start : start + quarter], rate)
            n += 1
    return 5


def seconds_of(paths):
    return round(sum(sf.info(p).duration for p in paths), 1)


def machines(data, work):
    """(name, dataset directory, seconds learned from) per machine, building the split under WORK."""
    out = []
    for d in sorted(glob.glob(f"{data}/mimii/*/*/id_*")):
        snr, kind, ident = d.split("/")[-3].split("_dB_")[0], d.split("/")[-2], d.split("/")[-1][3:]
        # 0 dB machines keep their historical names; other SNRs of the same machine are other rows.
        name = f"mimii/{kind}/id_{ident}" if snr == "0" else f"mimii/{snr}_dB/{kind}/id_{ident}"
        root = f"{work}/split/{name}"
        normal = sorted(glob.glob(f"{d}/normal/*.wav"))
        abnormal = sorted(glob.glob(f"{d}/abnormal/*.wav"))
        if not normal or not abnormal:
            continue
        if len(normal) >= 2:
            learn = normal[: len(normal) // 2]
            for p in learn:
                link(p, f"{root}/{kind}/train/normal_id_{ident}_{os.path.basename(p)}")
            for p in normal[len(learn) :]:
                link(p, f"{root}/{kind}/test/normal_id_{ident}_{os.path.basename(p)}")
            for p in abnormal:
                link(p, f"{root}/{kind}/test/anomaly_id_{ident}_{os.path.basename(p)}")
            seconds = seconds_of(learn)
        else:
            seconds = split_single(root, kind, ident, normal[0], abnormal)
        out.append((name, f"{root}/{kind}", seconds))
    for t in sorted(glob.glob(f"{data}/dcase2020/*/test")):
        kind = t.split("/")[-2]
        ids = sorted(set(re.findall(r"_id_(\d+)_", " ".join(os.listdir(t)))))
        for ident in ids:
            normal = sorted(glob.glob(f"{t}/normal_id_{ident}_*.wav"))
            abnormal = sorted(glob.glob(f"{t}/anomaly_id_{ident}_*.wav"))
            train = sorted(glob.glob(f"{os.path.dirname(t)}/train/normal_id_{ident}_*.wav"))
            if not abnormal or not (normal or train):
                continue
            name = f"dcase/{kind}/id_{ident}"
            root = f"{work}/split/{name}"
            if train:
                # DCASE's own protocol: learn from the id's training clips, judge all its test clips.
                for p in train:
                    link(p, f"{root}/{kind}/train/{os.path.basename(p)}")
                for p in normal + abnormal:
                    link(p, f"{root}/{kind}/test/{os.path.basename(p)}")
                seconds = seconds_of(train)
            elif len(normal) >= 2:
                link(normal[0], f"{root}/{kind}/train/{os.path.basename(normal[0])}")
                for p in normal[1:] + abnormal:
                    link(p, f"{root}/{kind}/test/{os.path.basename(p)}")
                seconds = seconds_of(normal[:1])
            else:
                seconds = split_single(root, kind, ident, normal[0], abnormal)
            out.append((name, f"{root}/{kind}", seconds))
    return out


def run(cmd, log):
    with open(log, "a") as f:
        f.write("$ " + " ".join(cmd) + "\n")
        f.flush()
        return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=f, text=True)


def learn(earshot, out, dataset, calibration, config, seconds):
    """Train, quantize and judge `dataset` (a directory or manifest) into OUT: (report, seconds) or (error, None)."""
    os.makedirs(out, exist_ok=True)
    log = f"{out}/log.txt"
    text = open(config).read()
    if seconds < 10:
        text = re.sub(r"minimum_normal_seconds: *\d+(\.\d+)?", f"minimum_normal_seconds: {seconds}", text)
        if "minimum_normal_seconds" not in text:
            text = text.replace("prediction:\n", f"prediction:\n    minimum_normal_seconds: {seconds}\n")
    with open(f"{out}/config.yaml", "w") as f:
        f.write(text)
    started = time.monotonic()
    steps = [
        [earshot, "train", "--config", f"{out}/config.yaml", "--data", dataset, "--out", f"{out}/float.model", "--no-cache"],
        [earshot, "quantize", "--model", f"{out}/float.model", "--calibration", calibration, "--out", f"{out}/int8.artifact"],
    ]
    for step in steps:
        r = run(step, log)
        if r.returncode != 0:
            return {"error": f"{step[1]} failed (exit {r.returncode}); see {log}"}, None
    train_seconds = time.monotonic() - started
    reports = {}
    for kind, model in (("int8", "int8.artifact"), ("float", "float.model")):
        r = run([earshot, "eval", "--model", f"{out}/{model}", "--data", dataset, "--json"], log)
        if r.returncode != 0:
            return {"error": f"{kind} eval failed (exit {r.returncode}); see {log}"}, None
        reports[kind] = json.loads(r.stdout.strip().splitlines()[-1])
    report = reports["int8"]
    report["float"] = reports["float"]
    return report, round(train_seconds, 2)


def figures(report, seconds, float_report=None):
    float_report = report.get("float") if float_report is None else float_report
    return {
        "auc": report.get("auc"),
        "float_auc": (float_report or {}).get("auc"),
        "pauc": report.get("pauc"),
        "flagged_anomalous": report.get("flagged_anomalous"),
        "flagged_normal": report.get("flagged_normal"),
        "n": report.get("n"),
        "train_and_quantize_seconds": seconds,
    }


def judge(earshot, name, dataset, seconds, detector, config, work):
    report, took = learn(earshot, f"{work}/models/{name}/{detector}", dataset, f"{dataset}/train", config, seconds)
    return report if took is None else figures(report, took)


def manifest_key(name):
    """mimii/fan/id_00 -> ("fan", "mimii-id_00"), mimii/6_dB/fan/id_00 -> ("fan", "mimii-6_dB-id_00"): machine
    type and an id unique across sources and SNRs."""
    parts = name.split("/")
    return parts[-2], "-".join(parts[:-2] + parts[-1:])


def judge_shared(earshot, found, detector, config, work):
    """One run over every machine (manifest.csv: learning clips `train`, judged clips `test`); per-machine figures."""
    out = f"{work}/models/all/{detector}"
    calibration = f"{out}/calibration"
    os.makedirs(calibration, exist_ok=True)
    rows = ["audio,label,split,machine_type,machine_id,source"]
    for name, dataset, _ in found:
        kind, ident = manifest_key(name)
        for split in ("train", "test"):
            for path in sorted(glob.glob(f"{dataset}/{split}/*.wav")):
                label = "normal" if os.path.basename(path).startswith("normal") else "abnormal"
                rows.append(f"{os.path.abspath(path)},{label},{split},{kind},{ident},{name.split('/')[0]}")
                if split == "train":
                    link(path, f"{calibration}/{kind}-{ident}-{os.path.basename(path)}")
    os.makedirs(out, exist_ok=True)
    with open(f"{out}/manifest.csv", "w") as f:
        f.write("\n".join(rows) + "\n")
    report, took = learn(earshot, out, f"{out}/manifest.csv", calibration, config, min(min(s for _, _, s in found), 10))
    if took is None:
        return {name: report for name, _, _ in found}
    groups = report.get("per_group", {}).get("machine_id", {})
    results = {}
    for name, _, _ in found:
        kind, ident = manifest_key(name)
        group = groups.get(f"{kind}/{ident}")
        float_group = report.get("float", {}).get("per_group", {}).get("machine_id", {}).get(f"{kind}/{ident}")
        results[name] = figures(group, took, float_group or {}) if group else {"error": f"no per-machine figures for {kind}/{ident}"}
    return results


def cell(value):
    return "n/a" if value is None else f"{value:.2f}"


def main():
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    earshot, data, work = sys.argv[1], sys.argv[2], sys.argv[3]
    flags = dict(zip(sys.argv[4::2], sys.argv[5::2]))
    only = flags["--only"].split(",") if "--only" in flags else None
    chosen = flags["--detectors"].split(",") if "--detectors" in flags else [d for d, _ in DETECTORS]
    detectors = [(d, c) for d, c in DETECTORS if d in chosen]
    os.makedirs(work, exist_ok=True)
    found = machines(data, work)
    if only:
        found = [m for m in found if m[0] in only]
    results = {}
    started = time.monotonic()
    total = len(found) * len(detectors)
    done = 0
    for name, _, seconds in found:
        results[name] = {"learned_seconds": seconds}
    for detector, config in detectors:
        if detector in SHARED:
            for name, judged in judge_shared(earshot, found, detector, config, work).items():
                results[name][detector] = judged
            done += len(found)
            elapsed = time.monotonic() - started
            print(f"[{done}/{total}] all machines {detector}  ({elapsed:.0f} s, eta {elapsed / done * (total - done):.0f} s)",
                  file=sys.stderr, flush=True)
            continue
        for name, dataset, seconds in found:
            results[name][detector] = judge(earshot, name, dataset, seconds, detector, config, work)
            done += 1
            elapsed = time.monotonic() - started
            print(f"[{done}/{total}] {name} {detector}: {results[name][detector]}  ({elapsed:.0f} s, eta {elapsed / done * (total - done):.0f} s)",
                  file=sys.stderr, flush=True)
    lines = ["| machine | learned | " + " | ".join(f"{d} AUC | pAUC | flagged abnormal | flagged normal" for d, _ in detectors) + " |",
             "|---|---|" + "---|---|---|---|" * len(detectors)]
    summary = {}
    for detector, _ in detectors:
        aucs = [r[detector]["auc"] for r in results.values() if r[detector].get("auc") is not None]
        fa = [r[detector]["flagged_normal"] for r in results.values() if r[detector].get("flagged_normal") is not None]
        hit = [r[detector]["flagged_anomalous"] for r in results.values() if r[detector].get("flagged_anomalous") is not None]
        summary[detector] = {
            "machines": len(aucs), "mean_auc": float(np.mean(aucs)) if aucs else None, "min_auc": min(aucs) if aucs else None,
            "machines_auc_at_least_0.90": sum(a >= 0.9 for a in aucs), "mean_flagged_normal": float(np.mean(fa)) if fa else None,
            "mean_flagged_anomalous": float(np.mean(hit)) if hit else None,
        }
        pairs = [(r[detector]["auc"], r[detector]["float_auc"]) for r in results.values()
                 if r[detector].get("auc") is not None and r[detector].get("float_auc") is not None]
        if pairs:
            summary[detector]["float_mean_auc"] = float(np.mean([f for _, f in pairs]))
            summary[detector]["max_abs_int8_minus_float_auc"] = float(max(abs(i - f) for i, f in pairs))
    for name, r in results.items():
        cells = []
        for detector, _ in detectors:
            d = r[detector]
            if "error" in d:
                cells.append(f"failed | | | ")
            else:
                cells.append(" | ".join(cell(d[k]) for k in ("auc", "pauc", "flagged_anomalous", "flagged_normal")))
        lines.append(f"| {name} | {r['learned_seconds']:g} s | " + " | ".join(cells) + " |")
    dcase_types = sorted({n.split("/")[1] for n in results if n.startswith("dcase/")})
    for group in ["mimii", "dcase"] + [f"dcase/{t}" for t in dcase_types]:
        for detector, _ in detectors:
            aucs = [r[detector]["auc"] for n, r in results.items() if n.startswith(group + "/") and r[detector].get("auc") is not None]
            if aucs:
                summary[detector][f"{group.replace('/', '_')}_mean_auc"] = float(np.mean(aucs))
    lines.append("")
    for detector, s in summary.items():
        lines.append(f"- {detector}: " + ", ".join(f"{k} {cell(v) if isinstance(v, float) else v}" for k, v in s.items()))
    table = "\n".join(lines)
    with open(f"{work}/results.json", "w") as f:
        json.dump({"machines": results, "summary": summary}, f, indent=1, sort_keys=True)
    with open(f"{work}/results.md", "w") as f:
        f.write(table + "\n")
    print(table)


if __name__ == "__main__":
    main()
