#!/usr/bin/env python3
"""Markdown tables for docs/training.md from the output directory of bench/train_results.sh.
Usage: python3 bench/train_results_tables.py OUTDIR"""
import csv, json, os, re, sys

out = sys.argv[1]

def first_line(path):
    with open(path) as f:
        return f.readline().strip()

def metric(line, name):
    m = re.search(name + r" (\S+)", line)
    return m.group(1) if m else "n/a"

if os.path.isdir(f"{out}/seed000"):
    print("| SNR | test clips | accuracy | macro-F1 | AUC (abnormal) |\n|---|---|---|---|---|")
    for snr in ["6", "0", "-6"]:
        p = f"{out}/seed000/{snr}/eval.txt"
        if os.path.exists(p):
            l = first_line(p)
            print(f"| {snr} dB | {metric(l, 'n')} | {metric(l, 'accuracy')} | {metric(l, 'macro-F1')} | {metric(l, 'AUC')} |")
    print()

for name, path in [("resnet-small", "machine/eval.txt"), ("resnet34", "resnet34/eval.txt")]:
    if os.path.exists(f"{out}/{path}"):
        l = first_line(f"{out}/{path}")
        print(f"{name}: test clips {metric(l, 'n')}, accuracy {metric(l, 'accuracy')}, macro-F1 {metric(l, 'macro-F1')}, macro OvR AUC {metric(l, 'AUC')}")
print()

rows = []
for machine in ["fan", "pump", "slider", "valve"]:
    for snr in ["6", "0", "-6"]:
        p = f"{out}/autoencoder/{snr}/{machine}-eval.json"
        if not os.path.exists(p):
            continue
        r = json.load(open(p))
        for key, g in sorted(r["per_group"]["machine_id"].items()):
            rows.append((machine, key.split("/")[1], snr, g["auc"], g["pauc"]))
        rows.append((machine, "all", snr, r["auc"], r["pauc"]))
if rows:
    print("| machine | id | AUC 6 dB | pAUC 6 dB | AUC 0 dB | pAUC 0 dB | AUC −6 dB | pAUC −6 dB |\n|---|---|---|---|---|---|---|---|")
    table = {}
    for machine, mid, snr, auc, pauc in rows:
        table.setdefault((machine, mid), {})[snr] = (auc, pauc)
    for (machine, mid), v in table.items():
        cells = []
        for snr in ["6", "0", "-6"]:
            auc, pauc = v.get(snr, (None, None))
            cells += [f"{auc:.3f}" if auc is not None else "n/a", f"{pauc:.3f}" if pauc is not None else "n/a"]
        label = f"**{mid}**" if mid == "all" else mid
        print(f"| {machine} | {label} | " + " | ".join(cells) + " |")
    print()

p = f"{out}/real-predictions.csv"
if os.path.exists(p):
    print("| clip | true type | predicted | p(valve) | p(fan) | p(slider) | p(pump) |\n|---|---|---|---|---|---|---|")
    for r in csv.DictReader(open(p)):
        clip = "/".join(r["path"].split("/")[-4:])
        print(f"| {clip} | {r['label']} | {r['predicted']} | {r['p_valve']} | {r['p_fan']} | {r['p_slider']} | {r['p_pump']} |")
