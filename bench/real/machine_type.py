#!/usr/bin/env python3
"""Real-data machine-type benchmark (issue #21): seed 003's task (fan, pump, slider or valve?) on the real
MIMII and DCASE 2020 recordings, float and int8 side by side, and what each training measure contributes.

Usage: bench/real/machine_type.py EARSHOT DATA WORK [--config C] [--compare C,...] [--ablation] [--splits recordings,machines] [--seeds N]

The splits are fixed (the same on every run) and written here. The clips are every fan, pump, slider and
valve recording under DATA: mimii/0_dB_<type>/<type>/id_NN/{normal,abnormal}/*.wav and
dcase2020/<type>/{test,train}/*.wav (115 clips in ../shared/data, all test/). A recording group is (source, type, id).
- recordings: other recordings of known machines. Within each group, sorted by path, the clip at position k
  of group number g (groups sorted) is held out for the test when (k + g) % 3 == 0: about a third of each
  machine's recordings, 38 of 115.
- machines: machines never heard in training. Every recording of machine id_06 of each type (its MIMII and
  its DCASE recordings) is held out, 26 of 115. machines-id_NN holds out machine id_NN of each type instead
  (the other folds of a leave-one-machine-out evaluation).
Training uses the rest (validation, if the config asks for it, is split off the rest by the trainer).

Configs: --config (default configs/machine-type.yaml) and, beside it in the same run, each of --compare
(default configs/machine-type-known-machines.yaml, the chunk-mean variant, and the seed-003-style
configs/machine-type-resnet-small.yaml). Per config, split and seed (`--seeds N`: training seeds 0…N−1, as `earshot train --seed`; with a few dozen
test clips one clip is 3–4 points of accuracy, so seeds show how much of a difference is chance):
`earshot train`, `earshot quantize` (calibrated on the training clips), then `earshot eval --json` of the
float model and of the int8 artifact on the held-out clips: accuracy, macro-F1, and the per-source
(mimii/dcase) and per source-machine breakdown; the table gives the median over seeds and the range. With --ablation, variants of the config
measure each training measure: none of them, then the config's normalisation, overlapping chunks, and each
augmentation alone on top of those two (mixup, class balance, frequency shift and tilt too, with fixed
settings, when the config leaves them off), and the config itself, on the first split of --splits (the others
run the configs as without it). Also times training on every clip (the issue's
5-minute target). Writes results.json and results.md into WORK and prints the table.
"""
import argparse
import csv
import glob
import json
import os
import re
import subprocess
import sys
import time

TYPES = ("fan", "pump", "slider", "valve")


def clips(data):
    """(path, type, source, id) of every fan, pump, slider and valve recording under DATA, sorted."""
    out = []
    for p in sorted(glob.glob(f"{data}/mimii/*/*/id_*/*/*.wav")):
        kind, ident = p.split("/")[-4], p.split("/")[-3]
        if kind in TYPES:
            out.append((os.path.abspath(p), kind, "mimii", ident))
    for p in sorted(glob.glob(f"{data}/dcase2020/*/test/*.wav") + glob.glob(f"{data}/dcase2020/*/train/*.wav")):
        kind = p.split("/")[-3]
        m = re.search(r"_id_(\d+)_", os.path.basename(p))
        if kind in TYPES and m:
            out.append((os.path.abspath(p), kind, "dcase", f"id_{m.group(1)}"))
    return out


def held_out(rows, split):
    """Whether each row is in the test set of SPLIT."""
    if split == "machines" or split.startswith("machines-"):
        held = "id_06" if split == "machines" else split[len("machines-"):]
        return [ident == held for _, _, _, ident in rows]
    groups = sorted({(s, k, i) for _, k, s, i in rows})
    test = []
    position = {}
    for _, kind, source, ident in rows:
        key = (source, kind, ident)
        k = position.get(key, 0)
        position[key] = k + 1
        test.append((k + groups.index(key)) % 3 == 0)
    return test


def write_manifest(path, rows, test):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["audio", "label", "split", "machine_id", "source"])
        for (p, kind, source, ident), t in zip(rows, test):
            w.writerow([p, kind, "test" if t else "", ident, source])


def run(cmd, log):
    with open(log, "a") as f:
        f.write("$ " + " ".join(cmd) + "\n")
        f.flush()
        return subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT)


def summary(report):
    out = {"accuracy": report["accuracy"], "macro_f1": report["f1"], "n": report["n"]}
    groups = report.get("per_group", {})
    out["by_source"] = {k: {"accuracy": v["accuracy"], "macro_f1": v["f1"], "n": v["n"]} for k, v in groups.get("source", {}).items()}
    out["wrong_machines"] = sorted(k for k, v in groups.get("source_machine_id", {}).items() if v["accuracy"] < 1)
    return out


def evaluate(earshot, config, manifest, work, name, calibration, seed):
    """Train (with SEED), quantize and evaluate CONFIG on MANIFEST; the float and int8 summaries."""
    out = f"{work}/{name}/seed-{seed}"
    os.makedirs(out, exist_ok=True)
    log = f"{out}/log.txt"
    started = time.monotonic()
    train = [earshot, "train", "--config", config, "--data", manifest, "--out", f"{out}/float.model", "--no-cache", "--threads", "2", "--seed", str(seed)]
    if run(train, log).returncode:
        return {"error": f"train failed; see {log}"}
    seconds = time.monotonic() - started
    if run([earshot, "quantize", "--model", f"{out}/float.model", "--calibration", calibration, "--out", f"{out}/int8.artifact"], log).returncode:
        return {"error": f"quantize failed; see {log}"}
    result = {"train_seconds": round(seconds, 1), "artifact_bytes": os.path.getsize(f"{out}/int8.artifact")}
    for kind, model in (("float", "float.model"), ("int8", "int8.artifact")):
        r = subprocess.run([earshot, "eval", "--model", f"{out}/{model}", "--data", manifest, "--json", "--no-cache"], capture_output=True, text=True)
        with open(log, "a") as f:
            f.write(r.stderr)
        if r.returncode:
            return {"error": f"eval {kind} failed; see {log}"}
        result[kind] = summary(json.loads(r.stdout))
    return result


def variants(base_text):
    """(name, YAML) of the ablation: each training measure alone on top of the config's normalisation and overlap."""
    def without_augmentation(text):
        return re.sub(r"augmentation:\n(    .*\n)+", "", text)

    setting = re.search(r"^    spectrogram_normalization: (.*)\n", base_text, re.M)
    normalisation = setting.group(1) if setting else "'No'"
    label = normalisation.strip("'").lower()
    plain = without_augmentation(base_text)
    plain = re.sub(r"^    spectrogram_normalization: .*\n", "    spectrogram_normalization: 'No'\n", plain, flags=re.M)
    plain = re.sub(r"    training_chunk_hop_seconds: .*\n", "", plain)
    normalised = plain.replace("    spectrogram_normalization: 'No'\n", f"    spectrogram_normalization: {normalisation}\n")
    hop = re.search(r"    training_chunk_hop_seconds: .*\n", base_text)
    overlapping = normalised.replace("    training_chunk_seconds:", (hop.group(0) if hop else "") + "    training_chunk_seconds:", 1)
    block = re.search(r"augmentation:\n((    .*\n)+)", base_text)
    lines = block.group(1).splitlines() if block else []
    pieces = {
        "random crop": ["random_crop"],
        "gain": ["gain_db"],
        "background mix": ["noise_probability", "noise_snr_db"],
        "SpecAugment masks": ["time_masks", "time_mask_frames", "frequency_masks", "frequency_mask_bins"],
        "mixup": ["mix_audio", "mix_probability", "mix_concentration", "mix_iterations", "mix_target"],
    }
    # Measures the config leaves off are measured with these settings.
    fallback = {
        "mixup": ["    mix_audio: Mixup", "    mix_probability: 0.5", "    mix_concentration: 0.4"],
        "class balance": ["    balance_classes: true"],
        "frequency shift": ["    frequency_shift_bins: 3"],
        "spectral tilt": ["    tilt_db: 6"],
    }
    pieces.update({"class balance": ["balance_classes"], "frequency shift": ["frequency_shift_bins"], "spectral tilt": ["tilt_db"]})
    out = [("none", plain), (f"+ {label}", normalised), (f"+ {label} + overlap", overlapping)]
    for name, keys in pieces.items():
        chosen = [line for line in lines if line.split(":")[0].strip() in keys and not line.strip().endswith(("Disabled", "false"))]
        chosen = chosen or fallback.get(name, [])
        if chosen:
            out.append((f"+ {label} + overlap + {name}", overlapping.replace("dataset:\n", "augmentation:\n" + "\n".join(chosen) + "\ndataset:\n", 1)))
    out.append(("everything (the config)", base_text))
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("earshot")
    parser.add_argument("data")
    parser.add_argument("work")
    parser.add_argument("--config", default="configs/machine-type.yaml")
    parser.add_argument("--compare", default="configs/machine-type-known-machines.yaml,configs/machine-type-resnet-small.yaml")
    parser.add_argument("--ablation", action="store_true")
    parser.add_argument("--splits", default="recordings,machines")
    parser.add_argument("--seeds", type=int, default=1)
    args = parser.parse_args()
    rows = clips(args.data)
    if not rows:
        print(f"skipped: no fan, pump, slider or valve recordings under {args.data}")
        return 0
    os.makedirs(args.work, exist_ok=True)
    results = {"clips": len(rows), "splits": {}}
    jobs = []
    for split in args.splits.split(","):
        test = held_out(rows, split)
        manifest = f"{args.work}/{split}.csv"
        write_manifest(manifest, rows, test)
        calibration = f"{args.work}/{split}-train"
        os.makedirs(calibration, exist_ok=True)
        for i, ((p, *_), t) in enumerate(zip(rows, test)):
            if not t and not os.path.exists(f"{calibration}/{i:03d}.wav"):
                os.symlink(p, f"{calibration}/{i:03d}.wav")
        results["splits"][split] = {"test_clips": sum(test), "train_clips": len(rows) - sum(test), "runs": {}}
        configs = [(os.path.basename(c), open(c).read()) for c in args.compare.split(",") if c]
        configs.append((os.path.basename(args.config), open(args.config).read()))
        if args.ablation and split == args.splits.split(",")[0]:
            configs = variants(open(args.config).read())
        for name, text in configs:
            jobs.append((split, name, text, manifest, calibration))
    total = len(jobs) + 1
    for n, (split, name, text, manifest, calibration) in enumerate(jobs, 1):
        slug = re.sub(r"[^a-z0-9]+", "-", f"{split}-{name}".lower()).strip("-")
        config = f"{args.work}/{slug}.yaml"
        with open(config, "w") as f:
            f.write(text)
        runs = []
        for seed in range(args.seeds):
            print(f"[{n}/{total}] {split}: {name}, seed {seed} ...", flush=True)
            r = evaluate(args.earshot, config, manifest, args.work, slug, calibration, seed)
            runs.append(r)
            if "error" in r:
                print(f"    {r['error']}", flush=True)
                break
            print(f"    float macro-F1 {r['float']['macro_f1']:.3f}, int8 {r['int8']['macro_f1']:.3f}, trained in {r['train_seconds']} s", flush=True)
        results["splits"][split]["runs"][name] = runs
    # Training on every clip, as a user would for deployment.
    print(f"[{total}/{total}] training {os.path.basename(args.config)} on all {len(rows)} clips ...", flush=True)
    everything = f"{args.work}/all.csv"
    write_manifest(everything, rows, [False] * len(rows))
    started = time.monotonic()
    code = run([args.earshot, "train", "--config", args.config, "--data", everything, "--out", f"{args.work}/all.model", "--no-cache", "--threads", "2"], f"{args.work}/all-log.txt").returncode
    results["train_all"] = {"clips": len(rows), "seconds": round(time.monotonic() - started, 1), "exit": code}
    with open(f"{args.work}/results.json", "w") as f:
        json.dump(results, f, indent=2, sort_keys=True)
    def median(values):
        v = sorted(values)
        return v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2

    def spread(runs, pick):
        values = [pick(r) for r in runs]
        m = median(values)
        return f"{m:.3f}" if len(values) == 1 else f"{m:.3f} ({min(values):.3f}–{max(values):.3f})"

    lines = [
        f"Median over {args.seeds} training seed(s), range in brackets.",
        "",
        "| split | model | float macro-F1 | int8 macro-F1 | float acc | int8 acc | int8 MIMII / DCASE acc | train s | int8 kB | int8 misses, first seed (source/type/id) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for split, s in results["splits"].items():
        for name, runs in s["runs"].items():
            failed = [r for r in runs if "error" in r]
            if failed:
                lines.append(f"| {split} ({s['test_clips']} test) | {name} | {failed[0]['error']} | | | | | | | |")
                continue
            src = [r["int8"]["by_source"] for r in runs]
            lines.append(
                f"| {split} ({s['test_clips']} test) | {name} | {spread(runs, lambda r: r['float']['macro_f1'])} | "
                f"{spread(runs, lambda r: r['int8']['macro_f1'])} | {spread(runs, lambda r: r['float']['accuracy'])} | "
                f"{spread(runs, lambda r: r['int8']['accuracy'])} | "
                f"{median([x.get('mimii', {}).get('accuracy', float('nan')) for x in src]):.2f} / "
                f"{median([x.get('dcase', {}).get('accuracy', float('nan')) for x in src]):.2f} | "
                f"{median([r['train_seconds'] for r in runs]):.0f} | {runs[0]['artifact_bytes'] / 1000:.0f} | "
                f"{', '.join(runs[0]['int8']['wrong_machines']) or '-'} |"
            )
    lines.append("")
    lines.append(f"Training {os.path.basename(args.config)} on all {len(rows)} clips: {results['train_all']['seconds']} s (exit {code}).")
    text = "\n".join(lines) + "\n"
    with open(f"{args.work}/results.md", "w") as f:
        f.write(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
