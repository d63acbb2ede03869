#!/usr/bin/python3
"""Which low-level-descriptor families of a feature set cost accuracy against openSMILE?

On the clips openSMILE's reference output covers (../shared/reference/opensmile), for each
LLD family of the set (loudness, MFCC, LSP, F0, jitter, ...; deltas go with their LLD):
  swap    seraug's features with that family's columns taken from openSMILE
  remove  seraug's features without that family
each evaluated like the best linear recipe (LOSO, 5 classes, per-speaker z-score,
svm-ovo, C by inner CV), seeds 1-3, next to seraug's and openSMILE's full sets. p: exact
two-sided sign-flip test of the per-speaker UAR differences (mean over seeds) against
seraug's full set; with 7 speakers the smallest possible p is 2/128 = 0.016.

  studies/tools/feature_gap.py SET OURS.csv OPENSMILE.csv OUT_DIR [--seraug build/seraug]
OURS.csv: `seraug extract --set SET` of (at least) the reference clips.
Prints a markdown table; keeps every evaluation's JSON in OUT_DIR.
"""
import argparse
import csv
import itertools
import json
import os
import re
import subprocess
import sys


def read_table(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    return header, {r[0]: r for r in body}


def family(column):
    """LLD family of an openSMILE column name: the part before '_sma', without the
    coefficient index and the delta marker."""
    base = column.split("_sma")[0] if "_sma" in column else column.split("__")[0] + "__turn"
    base = re.sub(r"\[\d+\]", "", base)
    return base.replace("_de", "")


def write_set(path, names, speaker_label, columns, values_of):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["name", "speaker", "label"] + columns)
        for n in names:
            w.writerow([n] + speaker_label[n] + [values_of(n, c) for c in columns])


def evaluate(seraug, path, out_json):
    if not os.path.exists(out_json):
        subprocess.run([seraug, "evaluate", path, "--classifier", "svm-ovo", "--norm", "speaker", "--repeats", "3",
                        "--seed", "1", "--threads", "2", "--json", out_json], check=True, stdout=subprocess.DEVNULL)
    with open(out_json) as f:
        result = json.load(f)
    per_speaker = {}
    for rep in result["repeats"]:
        for fold in rep["folds"]:
            per_speaker.setdefault(fold["name"], []).append(fold["uar"])
    return result["summary"], {s: sum(v) / len(v) for s, v in per_speaker.items()}


def sign_flip_p(diffs):
    observed = abs(sum(diffs))
    hits = total = 0
    for signs in itertools.product((1, -1), repeat=len(diffs)):
        total += 1
        hits += abs(sum(s * d for s, d in zip(signs, diffs))) >= observed - 1e-12
    return hits / total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("set")
    ap.add_argument("ours")
    ap.add_argument("opensmile")
    ap.add_argument("out")
    ap.add_argument("--seraug", default="build/seraug")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    ours_header, ours = read_table(a.ours)
    ref_header, ref = read_table(a.opensmile)
    columns = ref_header[1:]
    if ours_header[3:] != columns:
        sys.exit("feature_gap: the two files' columns differ")
    names = sorted(n for n in ref if n in ours)
    speaker_label = {n: ours[n][1:3] for n in names}
    ours_col = {c: i + 3 for i, c in enumerate(columns)}
    ref_col = {c: i + 1 for i, c in enumerate(columns)}
    families = []
    for c in columns:
        if family(c) not in families:
            families.append(family(c))

    def run(tag, cols, source_of):
        path = os.path.join(a.out, tag + ".csv")
        if not os.path.exists(path):
            write_set(path, names, speaker_label, cols,
                      lambda n, c: ref[n][ref_col[c]] if source_of(c) == "ref" else ours[n][ours_col[c]])
        return evaluate(a.seraug, path, os.path.join(a.out, tag + ".json"))

    base_summary, base = run("seraug", columns, lambda c: "ours")
    rows = [("seraug (all %d)" % len(columns), base_summary, None)]
    ref_summary, ref_folds = run("opensmile", columns, lambda c: "ref")
    rows.append(("openSMILE (all)", ref_summary, ref_folds))
    for fam in families:
        n = sum(family(c) == fam for c in columns)
        rows.append(("swap %s (%d)" % (fam, n),) + run("swap_" + fam, columns, lambda c, f=fam: "ref" if family(c) == f else "ours"))
        kept = [c for c in columns if family(c) != fam]
        rows.append(("remove %s" % fam,) + run("remove_" + fam, kept, lambda c: "ours"))

    print("| %s features, %d reference clips (evaluated: the 5 classes) | WA %% | UAR %% | ΔUAR vs seraug | p |" % (a.set, len(names)))
    print("|---|---|---|---|---|")
    for label, summary, folds in rows:
        delta = p = "–"
        if folds is not None:
            diffs = [folds[s] - base[s] for s in sorted(base)]
            delta = "%+.1f" % (100 * (summary["uar_mean"] - base_summary["uar_mean"]))
            p = "%.3f" % sign_flip_p(diffs)
        print("| %s | %.1f ± %.1f | %.1f ± %.1f | %s | %s |" % (label, 100 * summary["wa_mean"], 100 * summary["wa_std"],
                                                          100 * summary["uar_mean"], 100 * summary["uar_std"], delta, p))


if __name__ == "__main__":
    main()
