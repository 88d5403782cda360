#!/usr/bin/env python3
"""Report of a `bench/run-all` run: reads OUTDIR/meta.txt, OUTDIR/runs.tsv and OUTDIR/<name>.log and writes
OUTDIR/report.json and OUTDIR/report.md.

Usage: python3 bench/run_all_report.py OUTDIR

Every number comes from the logs. For each benchmark the report has its status, parameters (the command's
arguments, named after the script's usage line), headline figures with units and, where the benchmark measures
a peer in the same run, the ratios earshot / peer with what they mean and whether lower or higher is better.
A figure that a log lacks is reported as null in JSON and "not measured" in Markdown.
"""
import csv
import json
import os
import re
import sys

NUMBER = r"(-?[\d,]*\.?\d+)"

# Positional parameters of each script, in order (from the scripts' usage lines).
PARAMETERS = {
    "features": ["runs", "rounds"],
    "inference": ["networks", "runs", "rounds"],
    "inference-allocations": ["networks"],
    "train": ["outdir"],
    "train-results": ["outdir", "section"],
    "mqtt": ["count", "size", "rounds"],
    "hub-ingest": ["build_dir", "agents", "rate_per_agent", "seconds", "batch"],
    "hub-latency": ["build_dir", "agents", "rate_per_agent", "seconds", "batch", "poll_ms"],
    "hub-query": ["build_dir", "verdicts", "runs", "agents"],
    "hub-rss": ["build_dir", "agents", "per_process", "rate_per_agent", "seconds", "batch"],
    "agent-window-allocations": ["extra_windows"],
    "agent": ["realtime_seconds", "fast_audio_minutes"],
    "rollout": ["build_dir", "agents"],
    "retraining": ["build_dir", "clips", "seconds", "epochs", "anomalies", "hub_agents", "hub_rate_per_agent",
                   "hub_seconds", "hub_batch"],
    "hub-hostile": ["build_dir", "agents", "rate_per_agent", "seconds", "batch"],
    "real-detection": ["build_dir"],
    "real-machine-type": ["build_dir"],
    "hub-alarms": ["build_dir", "verdicts", "runs", "agents", "open", "closed"],
    "hub-webhook": ["build_dir", "transitions", "outage_s"],
    "hub-notify-ingest": ["build_dir", "runs", "agents", "rate_per_agent", "seconds", "batch"],
}


def num(text):
    return float(text.replace(",", "")) if text is not None else None


def search(pattern, text, group=1):
    m = re.search(pattern, text, re.M)
    return num(m.group(group)) if m else None


def figure(name, value, unit, better=None):
    return {"name": name, "value": value, "unit": unit, "better": better}


def ratio(compared, earshot, peer, peer_name, unit, meaning, better, value=None):
    """A ratio earshot / peer. `value` is the ratio as the log prints it; otherwise computed from the two figures."""
    if value is None and earshot is not None and peer:
        value = earshot / peer
    return {"compared": compared, "earshot": earshot, "peer": peer, "peer_name": peer_name, "unit": unit,
            "value": value, "meaning": meaning, "better": better}


def features(log):
    rounds = search(r"(\d+) alternating rounds", log)
    ratios, figures = [], []
    # A row: feature, earshot's median per round, librosa's per round and best/best, or "-  -" without a peer.
    for name, cells in re.findall(r"^([\w-]+)\s+((?:[\d.]+\s+)+(?:[\d.]+x|-\s+-))\s*$", log, re.M):
        values = [float(v) for v in cells.split() if not v.endswith("x") and v != "-"]
        if cells.endswith("-"):
            figures.append(figure(f"{name} of the 10 s MIMII clip, 1 thread (best round's median)", min(values), "ms",
                                  "lower"))
            continue
        half = len(values) // 2
        ours, peer = min(values[:half]), min(values[half:])
        ratios.append(ratio(f"{name} of the 10 s MIMII clip, 1 thread (best of {half} rounds' medians)", ours, peer,
                            "librosa", "ms", "earshot time / librosa time", "lower"))
    if not ratios:
        ratios.append(ratio("feature extraction of the 10 s MIMII clip, 1 thread", None, None, "librosa", "ms",
                            "earshot time / librosa time", "lower"))
    throughput = [float(v) for v in re.findall(r"^throughput: ([\d.]+) clips/s", log, re.M)]
    threads = search(r"^throughput: .*, (\d+) threads\)", log)
    figures.append(figure(f"throughput, decode + MFCC-40 mean, {threads and int(threads)} threads (best round)",
                          max(throughput) if throughput else None, "clips/s", "higher"))
    return {"rounds": rounds and int(rounds)}, figures, ratios


def inference(log):
    ratios = []
    row = re.compile(r"^([\w-]+)\s+" + r"\s+".join([r"([\d.]+)"] * 6) + r"\s+(\d+)kB\s+(\d+)kB\s+(\d+)MB\s+(\d+)MB\s*$", re.M)
    rows = row.findall(log)
    for name, f32, i8, pf32, pi8, r_i8, r_f32, weights, peer_file, rss, peer_rss in rows:
        f32, i8, pf32, pi8 = map(float, (f32, i8, pf32, pi8))
        ratios += [
            ratio(f"{name}: int8 inference latency per window, 1 thread", i8, pi8, "LiteRT int8", "ms",
                  "earshot int8 / LiteRT int8 (target <= 1.5)", "lower", float(r_i8)),
            ratio(f"{name}: float32 inference latency per window, 1 thread", f32, pf32, "LiteRT float32", "ms",
                  "earshot float32 / LiteRT float32", "lower"),
            ratio(f"{name}: int8 speed-up over float32", f32, i8, "earshot int8", "ms",
                  "earshot float32 time / earshot int8 time (target >= 2)", "higher", float(r_f32)),
            ratio(f"{name}: int8 model size", float(weights), float(peer_file), "LiteRT int8 .tflite", "kB",
                  "earshot int8 weights / LiteRT int8 file", "lower"),
            ratio(f"{name}: peak RSS of a load-and-run process", float(rss), float(peer_rss), "LiteRT int8", "MB",
                  "earshot / LiteRT (each process only loads the int8 model and runs it)", "lower"),
        ]
    if not rows:
        ratios.append(ratio("int8 inference latency per window, 1 thread", None, None, "LiteRT int8", "ms",
                            "earshot int8 / LiteRT int8 (target <= 1.5)", "lower"))
    rounds = search(r"medians of (\d+) rounds", log)
    return {"rounds": rounds and int(rounds)}, [], ratios


def inference_allocations(log):
    found = re.findall(r"^([\w-]+): .* (-?\d+) allocations per window", log, re.M)
    figures = [figure(f"{n}: heap allocations per inferred window (target 0)", float(v), "allocations", "lower")
               for n, v in found] or [figure("heap allocations per inferred window (target 0)", None, "allocations", "lower")]
    return {}, figures, []


def train(log):
    ratios = []
    # Per thread count: keras line, its GNU time RSS line, earshot's line, its RSS line, earshot's eval line.
    blocks = re.findall(r"^keras: fit ([\d.]+) s, test accuracy ([\d.]+) \(threads (\w+)\)\n"
                        r"\s*Maximum resident set size \(kbytes\): (\d+)\n"
                        r"earshot: .*train\.seconds ([\d.]+).*\n"
                        r"\s*Maximum resident set size \(kbytes\): (\d+)\n"
                        r"earshot \(threads \w+\) test: n \d+\s+accuracy ([\d.]+)", log, re.M)
    for k_fit, k_acc, threads, k_rss, e_fit, e_rss, e_acc in blocks:
        ratios += [
            ratio(f"fit time, seed 000 net, 4,440 rows × 20 epochs, {threads} thread(s)", float(e_fit), float(k_fit),
                  "Keras", "s", "earshot fit time / Keras fit time", "lower"),
            ratio(f"test accuracy (1,110 rows), {threads} thread(s)", float(e_acc), float(k_acc), "Keras", "",
                  "earshot accuracy / Keras accuracy", "higher"),
            ratio(f"peak RSS of the training process, {threads} thread(s)", int(e_rss) / 1024, int(k_rss) / 1024,
                  "Keras", "MiB", "earshot / Keras", "lower"),
        ]
    if not blocks:
        ratios.append(ratio("fit time, seed 000 net, 4,440 rows × 20 epochs", None, None, "Keras", "s",
                            "earshot fit time / Keras fit time", "lower"))
    return {}, [], ratios


def train_results(log):
    found = re.findall(r"^(.+?): n (\d+)\s+accuracy (\S+)\s+macro-F1 (\S+)\s+AUC (\S+)", log, re.M)
    figures = []
    for what, n, accuracy, _, auc in found:
        figures.append(figure(f"{what}: test accuracy ({n} clips)", None if accuracy == "n/a" else float(accuracy), "",
                              "higher"))
        figures.append(figure(f"{what}: AUC ({n} clips)", None if auc == "n/a" else float(auc), "", "higher"))
    return {}, figures or [figure("test accuracy of the trained models", None, "", "higher")], []


def mqtt(log):
    ratios = []
    for qos in ("0", "1"):
        m = re.search(rf"^QoS {qos}: wrapper (\d+) msg/s, mosquitto_pub (\d+) msg/s, ratio ([\d.]+)", log, re.M)
        ours, peer, value = (float(m.group(1)), float(m.group(2)), float(m.group(3))) if m else (None, None, None)
        ratios.append(ratio(f"publish rate delivered to mosquitto_sub, QoS {qos}", ours, peer, "mosquitto_pub -l",
                            "msg/s", "earshot MQTT client rate / mosquitto_pub rate (target >= 0.8)", "higher", value))
    header = re.search(r"^mosquitto (\S+), (\d+) messages of (\d+) bytes, (\d+) rounds", log, re.M)
    parameters = {"mosquitto": header.group(1)} if header else {}
    return parameters, [], ratios


def hub_ingest_figures(log, label=""):
    sub = search(r"^mosquitto_sub: .* -> " + NUMBER + " verdicts/s", log)
    hub = search(r"^earshot-hub: .* -> " + NUMBER + " verdicts/s", log)
    value = search(r"^ratio hub/mosquitto_sub: " + NUMBER, log)
    figures = [figure(f"{label}verdicts lost (sent − stored)", search(r"\(loss (-?\d+)\)", log), "verdicts", "lower"),
               figure(f"{label}hub RSS after the run", search(r"hub RSS (\d+) MiB", log), "MiB", "lower")]
    r = ratio(f"{label}ingest rate, simulated agents → mosquitto → hub → SQLite", hub, sub, "mosquitto_sub", "verdicts/s",
              "hub rate until all stored / mosquitto_sub delivery rate of the same messages", "higher", value)
    return figures, r


def hub_ingest(log):
    figures, r = hub_ingest_figures(log)
    return {}, figures, [r]


def hub_latency(log):
    m = re.search(r"^verdict → queryable over (\d+) batches: p50 (\d+) ms, p90 (\d+) ms, p99 (\d+) ms, max (\d+) ms", log, re.M)
    values = [float(v) for v in m.groups()[1:]] if m else [None] * 4
    figures = [figure(f"verdict → queryable latency {q}", v, "ms", "lower") for q, v in zip(("p50", "p90", "p99", "max"), values)]
    return {}, figures, []


def hub_query(log):
    figures = [
        figure("fleet anomaly rate, 30 days × 1-minute buckets: median query time",
               search(r"^fleet anomaly rate.*: median ([\d.]+) ms", log), "ms", "lower"),
        figure("verdicts in the database", search(r"^database: (\d+) verdicts", log), "verdicts"),
    ]
    return {}, figures, []


def hub_rss(log):
    sent = search(r"^verdicts reported sent by the simulators: (\d+)", log)
    stored = search(r"^rows in the hub database: (\d+) verdicts", log)
    lost = sent - stored if sent is not None and stored is not None else None
    figures = [
        figure("hub RSS idle", search(r"^hub RSS idle: (\d+) MiB", log), "MiB", "lower"),
        figure("hub RSS peak under load", search(r"^hub RSS peak (\d+) MiB", log), "MiB", "lower"),
        figure("agents known to the hub", search(r"^agents known to the hub: (\d+)", log), "agents"),
        figure("verdicts lost (sent by the simulators − rows in the hub database)", lost, "verdicts", "lower"),
        figure("agents whose stored rows differ from their acknowledged seq",
               search(r"agents whose stored rows differ from their acknowledged seq: (\d+)", log), "agents", "lower"),
        figure("simulator processes without a full-ack report", search(r"without a full-ack report: (\d+)", log),
               "processes", "lower"),
    ]
    return {}, figures, []


def agent(log):
    figures = [
        figure("real time: CPU of one core", search(r"realtime: .* = ([\d.]+)% of one core", log), "%", "lower"),
        figure("real time: peak RSS", search(r"realtime: .*\(peak ([\d.]+) MiB\)", log), "MiB", "lower"),
        figure("unpaced: CPU per audio second", search(r"fast: .* = ([\d.]+) ms CPU per audio second", log), "ms", "lower"),
        figure("heap allocations per 10 s window, whole agent", search(r"mallocs for .*: (-?\d+) per window", log),
               "allocations", "lower"),
        figure("earshot-agent release binary", search(r"earshot-agent \(release\): ([\d.]+) MiB", log), "MiB", "lower"),
    ]
    return {}, figures, []


def agent_window_allocations(log):
    figures = [figure("heap allocations per window, agent window path (read → features → int8 → state)",
                      search(r": (-?\d+) allocations per window", log), "allocations", "lower")]
    return {}, figures, []


def rollout(log):
    m = re.search(r"^agents (\d+): all installed ([\d.]+) s after rollout start; rollout (\w+), not installed (\d+)", log, re.M)
    figures = [figure(f"time until every agent ({m.group(1) if m else '?'}) installed v2 (target <= 10 s for 1,000)",
                      float(m.group(2)) if m else None, "s", "lower"),
               figure("agents not installed", float(m.group(4)) if m else None, "agents", "lower")]
    return {"rollout_state": m.group(3)} if m else {}, figures, []


def retraining(log):
    figures = [figure("retraining wall time (features computed)", search(r"^retraining wall time: ([\d.]+) s", log), "s",
                      "lower")]
    alone, _, busy = log.partition("== ingest while retraining")
    f_alone, r_alone = hub_ingest_figures(alone.partition("== ingest without retraining")[2], "alone: ")
    f_busy, r_busy = hub_ingest_figures(busy, "while retraining: ")
    figures += f_alone + f_busy
    partial = " (partial: the retraining job ended before ingest did)" if "retraining ended before ingest finished" in log else ""
    ratios = [r_alone, r_busy,
              ratio("hub ingest rate while a retraining job runs on the same cores", r_busy["earshot"], r_alone["earshot"],
                    "the same hub without retraining", "verdicts/s", "rate while retraining / rate alone" + partial, "higher")]
    return {}, figures, ratios


def hub_hostile(log):
    alone = search(r"^alone: .* -> ([\d,]+) verdicts/s", log)
    hostile = search(r"^with hostile: .* -> ([\d,]+) verdicts/s", log)
    ratios = [ratio("hub ingest rate while one hostile agent sends every #16 break (target >= 0.95)", hostile, alone,
                    "the same hub without the hostile agent", "verdicts/s", "rate with the hostile agent / rate alone", "higher")]
    return {}, [], ratios


def real_detection(log):
    figures = []
    for detector in ("band-baseline", "autoencoder"):
        m = re.search(rf"^- {detector}: .*mean_auc ([\d.]+).*mean_flagged_normal ([\d.]+), mean_flagged_anomalous ([\d.]+)", log, re.M)
        figures += [figure(f"{detector}: mean AUC over the real machines", float(m.group(1)) if m else None, "", "higher"),
                    figure(f"{detector}: mean share of normal clips flagged", float(m.group(2)) if m else None, "", "lower"),
                    figure(f"{detector}: mean share of abnormal clips flagged", float(m.group(3)) if m else None, "", "higher")]
    return {}, figures, []


def real_machine_type(log):
    figures = []
    for split in ("recordings", "machines"):
        m = re.search(rf"^\| {split} \(\d+ test\) \| machine-type\.yaml \| ([\d.]+)[^|]*\| ([\d.]+)", log, re.M)
        figures += [figure(f"machine-type.yaml, {split} split: float macro-F1 (median over seeds)", float(m.group(1)) if m else None, "", "higher"),
                    figure(f"machine-type.yaml, {split} split: int8 macro-F1 (median over seeds)", float(m.group(2)) if m else None, "", "higher")]
    m = re.search(r"^Training machine-type\.yaml on all (\d+) clips: ([\d.]+) s", log, re.M)
    figures.append(figure("machine-type.yaml: training on every real clip", float(m.group(2)) if m else None, "s", "lower"))
    return {}, figures, []


def hub_alarms(log):
    summary = log[log.rfind("\nsummary ("):] if "\nsummary (" in log else ""
    figures = [figure(f"{m.group(1)}: median response time", num(m.group(2)), "ms", "lower")
               for m in re.finditer(r"^  (.+?): median ([\d.]+) ms", summary, re.M)]
    figures.append(figure("verdicts in the database", search(r"^database: (\d+) verdicts", log), "verdicts"))
    return {}, figures, []


def hub_webhook(log):
    figures = [
        figure("transitions created while the receiver was down", search(r"^transitions created while down: (\d+)", log),
               "transitions"),
        figure("transitions lost", search(r"; lost: (\d+)", log), "transitions", "lower"),
        figure("duplicate deliveries", search(r"^duplicates: (\d+)", log), "deliveries", "lower"),
        figure("bad signatures", search(r"bad signatures: (\d+)", log), "deliveries", "lower"),
        figure("out-of-order first deliveries", search(r"out-of-order first deliveries: (\d+)", log), "deliveries", "lower"),
        figure("delay from the receiver's return to first delivery p50", search(r"first delivery: p50 ([\d.]+) s", log), "s",
               "lower"),
        figure("delay from the receiver's return to first delivery p99", search(r"first delivery: .*p99 ([\d.]+) s", log), "s",
               "lower"),
    ]
    return {}, figures, []


def hub_notify_ingest(log):
    on = search(r"^notifications on: median " + NUMBER + " verdicts/s", log)
    off = search(r"^notifications off: median " + NUMBER + " verdicts/s", log)
    r = ratio("ingest rate with alarm notifications (webhook route and MQTT alarm state)", on, off,
              "same hub, no notifications", "verdicts/s", "median rate with / median rate without, alternating runs", "higher",
              search(r"^ratio on/off: " + NUMBER, log))
    figures = [figure("hub CPU per stored verdict without / with notifications (ingest capacity ratio)",
                      search(r"^CPU ratio off/on .*: " + NUMBER, log), "×", "higher")]
    return {}, figures, [r]


PARSERS = {
    "features": features, "inference": inference, "inference-allocations": inference_allocations, "train": train,
    "train-results": train_results, "mqtt": mqtt, "hub-ingest": hub_ingest, "hub-latency": hub_latency,
    "hub-query": hub_query, "hub-rss": hub_rss, "agent": agent, "agent-window-allocations": agent_window_allocations,
    "rollout": rollout, "retraining": retraining, "hub-hostile": hub_hostile, "real-detection": real_detection,
    "real-machine-type": real_machine_type, "hub-alarms": hub_alarms, "hub-webhook": hub_webhook,
    "hub-notify-ingest": hub_notify_ingest,
}


def benchmark(outdir, run):
    name, command = run["name"], run["command"]
    args = command.split()[1:]
    parameters = {key: (args[i] if i < len(args) else "script default") for i, key in enumerate(PARAMETERS[name])}
    entry = {"name": name, "status": run["status"], "exit_code": int(run["exit"]) if run["exit"] else None,
             "seconds": float(run["seconds"]), "command": command, "reason": run["reason"] or None,
             "log": f"{name}.log", "parameters": parameters, "figures": [], "ratios": []}
    if run["status"] != "skipped":
        log = open(os.path.join(outdir, f"{name}.log"), errors="replace").read()
        more, entry["figures"], entry["ratios"] = PARSERS[name](log)
        parameters.update({k: v for k, v in more.items() if v is not None})
    return entry


def show(value, unit=""):
    if value is None:
        return "not measured"
    text = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
    return f"{text} {unit}".strip()


def markdown(meta, entries):
    lines = [
        "# Benchmarks: earshot side by side with its peers",
        "",
        f"Produced {meta['finished']} (started {meta['started']}) by `{meta['command']}`. Machine: `uname -m` "
        f"{meta['machine']}, `nproc` {meta['nproc']}. All numbers are from one run on a shared machine, so they are noisy: compare "
        "the ratios (earshot and its peer were measured in the same run), not absolute numbers across runs. "
        "Logs and report.json: `bench/out/<timestamp>/`.",
        "",
        "| benchmark | what is compared | earshot | peer | ratio | better is |",
        "|---|---|---|---|---|---|",
    ]
    for e in entries:
        label = e["name"]
        if e["status"] != "ok":
            status = f"**{e['status']}**" + (f" ({e['reason']})" if e["reason"] else "")
            lines.append(f"| {label} | {status}; `{e['command']}` | not measured | | | |")
            if e["status"] == "skipped":
                continue
        for r in e["ratios"]:
            ratio_text = "not measured" if r["value"] is None else f"**{r['value']:.2f}**: {r['meaning']}"
            lines.append(f"| {label} | {r['compared']} | {show(r['earshot'], r['unit'])} | {r['peer_name']}: "
                         f"{show(r['peer'], r['unit'])} | {ratio_text} | {r['better']} |")
        for f in e["figures"]:
            lines.append(f"| {label} | {f['name']} | {show(f['value'], f['unit'])} | no peer | | {f['better'] or ''} |")
    lines += ["", "Commands and parameters (from `runs.tsv`):", ""]
    lines += [f"- {e['name']}: `{e['command']}` ({e['status']}, {e['seconds']:.0f} s)" for e in entries]
    return "\n".join(lines) + "\n"


def main():
    outdir = sys.argv[1]
    meta = dict(line.rstrip("\n").split("=", 1) for line in open(os.path.join(outdir, "meta.txt")) if "=" in line)
    meta.setdefault("finished", "(unfinished)")
    with open(os.path.join(outdir, "runs.tsv")) as f:
        runs = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    entries = [benchmark(outdir, run) for run in runs]
    report = {"command": meta["command"], "started": meta["started"], "finished": meta["finished"],
              "machine": {"nproc": int(meta["nproc"]), "arch": meta["machine"]},
              "note": "one run on a shared machine; ratios compare earshot and its peer measured in the same run",
              "benchmarks": entries}
    with open(os.path.join(outdir, "report.json"), "w") as f:
        json.dump(report, f, indent=1, ensure_ascii=False)
    with open(os.path.join(outdir, "report.md"), "w") as f:
        f.write(markdown(meta, entries))
    print(markdown(meta, entries), end="")
    print(f"wrote {outdir}/report.json and {outdir}/report.md")


if __name__ == "__main__":
    main()
