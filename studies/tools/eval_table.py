#!/usr/bin/python3
"""One markdown table from several `seraug evaluate --json` files of the same clips and
protocol: WA and UAR (pooled over folds, mean ± std over seeds), and a paired test of
each row against a baseline row: the exact two-sided sign-flip test of the per-fold UAR
differences (each fold's UAR averaged over seeds first), with Holm's correction over the
rows tested.

  studies/tools/eval_table.py BASELINE.json ROW.json... [--labels "a" "b" ...] [--header "set | classifier"]

Labels default to the file names; a label may hold several cells separated by " | ",
named by --header. The baseline is printed first with "–" for p.
"""
import argparse
import itertools
import json
import os


def load(path):
    with open(path) as f:
        r = json.load(f)
    folds = {}
    for rep in r["repeats"]:
        for fold in rep["folds"]:
            folds.setdefault(fold["name"], []).append(fold["uar"])
    return r, {k: sum(v) / len(v) for k, v in folds.items()}


def sign_flip_p(diffs):
    observed = abs(sum(diffs))
    hits = sum(abs(sum(s * d for s, d in zip(signs, diffs))) >= observed - 1e-12
               for signs in itertools.product((1, -1), repeat=len(diffs)))
    return hits / 2 ** len(diffs)


def holm(ps):
    order = sorted(range(len(ps)), key=lambda i: ps[i])
    adjusted, running = [0.0] * len(ps), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(ps) - rank) * ps[i]))
        adjusted[i] = running
    return adjusted


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("baseline")
    ap.add_argument("rows", nargs="+")
    ap.add_argument("--labels", nargs="+")
    ap.add_argument("--header", default="row")
    a = ap.parse_args()
    paths = [a.baseline] + a.rows
    labels = a.labels or [os.path.splitext(os.path.basename(p))[0] for p in paths]
    loaded = [load(p) for p in paths]
    base = loaded[0][1]
    ps = []
    for _, folds in loaded[1:]:
        if sorted(folds) != sorted(base):
            raise SystemExit("eval_table: the files have different folds")
        ps.append(sign_flip_p([folds[k] - base[k] for k in sorted(base)]))
    adjusted = holm(ps)
    print("| %s | WA %% | UAR %% | ΔUAR | p (Holm) | time (s) |" % a.header)
    print("|" + "---|" * (a.header.count("|") + 6))
    for i, ((r, _), label) in enumerate(zip(loaded, labels)):
        s = r["summary"]
        delta = "–" if i == 0 else "%+.1f" % (100 * (s["uar_mean"] - loaded[0][0]["summary"]["uar_mean"]))
        p = "–" if i == 0 else "%.3f (%.3f)" % (ps[i - 1], adjusted[i - 1])
        print("| %s | %.1f ± %.1f | %.1f ± %.1f | %s | %s | %.0f |" % (label, 100 * s["wa_mean"], 100 * s["wa_std"], 100 * s["uar_mean"],
                                                                     100 * s["uar_std"], delta, p, r.get("seconds", float("nan"))))


if __name__ == "__main__":
    main()
