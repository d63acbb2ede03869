#!/usr/bin/python3
"""Where an augmentation's UAR change comes from: per-class recall and per-speaker UAR of
`seraug evaluate --json` files, each row's change against the first (baseline) file.
Recall is pooled over folds and averaged over seeds; a speaker's UAR is its fold's UAR
averaged over seeds.

  studies/tools/recall_table.py BASELINE.json ROW.json... [--labels none speed ...]
"""
import argparse
import json
import os


def load(path):
    with open(path) as f:
        r = json.load(f)
    classes = sorted(r["repeats"][0]["pooled"]["per_class"])
    recall = {c: sum(rep["pooled"]["per_class"][c]["recall"] for rep in r["repeats"]) / len(r["repeats"]) for c in classes}
    speakers = {}
    for rep in r["repeats"]:
        for fold in rep["folds"]:
            speakers.setdefault(";".join(fold["test_speakers"]), []).append(fold["uar"])
    return classes, recall, {s: sum(v) / len(v) for s, v in speakers.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--labels", nargs="*")
    a = ap.parse_args()
    labels = a.labels or [os.path.splitext(os.path.basename(f))[0] for f in a.files]
    rows = [load(f) for f in a.files]
    classes, base_recall, base_speakers = rows[0]
    speakers = sorted(base_speakers)
    print("| augmentation | " + " | ".join(f"{c} recall" for c in classes) + " | speakers better / worse |")
    print("|---" * (len(classes) + 2) + "|")
    for label, (_, recall, per_speaker) in zip(labels, rows):
        cells = []
        for c in classes:
            delta = 100 * (recall[c] - base_recall[c])
            cells.append(f"{100 * recall[c]:.1f}" + ("" if label == labels[0] else f" ({delta:+.1f})"))
        better = sum(per_speaker[s] > base_speakers[s] + 1e-12 for s in speakers)
        worse = sum(per_speaker[s] < base_speakers[s] - 1e-12 for s in speakers)
        print(f"| {label} | " + " | ".join(cells) + f" | {'–' if label == labels[0] else f'{better} / {worse}'} |")
    print()
    print("| augmentation | " + " | ".join(f"spk {s}" for s in speakers) + " |")
    print("|---" * (len(speakers) + 1) + "|")
    for label, (_, _, per_speaker) in zip(labels, rows):
        if label == labels[0]:
            print(f"| {label} (UAR %) | " + " | ".join(f"{100 * per_speaker[s]:.1f}" for s in speakers) + " |")
        else:
            print(f"| {label} (ΔUAR) | " + " | ".join(f"{100 * (per_speaker[s] - base_speakers[s]):+.1f}" for s in speakers) + " |")


if __name__ == "__main__":
    main()
