#!/usr/bin/python3
"""The table of an experiment run's cells before its report exists (or without its
synthetic samples): per method and classifier, WA and UAR pooled over folds (mean ± std
over seeds), ΔUAR against "none" of the same classifier and seeds (a row with fewer
seeds, as in an unfinished run, is compared with the baseline's same seeds), the exact sign-flip test of the
per-fold UAR differences (each fold averaged over seeds first) and Holm's correction
over every row tested. Same statistics as `seraug experiment`'s table.md.

  studies/tools/cells_table.py RUN_DIR [RUN_DIR ...]   (cells of several runs of one protocol)
  studies/tools/cells_table.py --per-speaker RUN_DIR ...

--per-speaker adds a second table: per tested row, how many speakers (LOSO folds) gain,
lose or keep their UAR (the same to 0.05 points; each fold's UAR averaged over the seeds)
and the two largest changes.
"""
import csv
import fnmatch
import glob
import io
import os
import statistics
import sys
import tarfile

from eval_table import holm, sign_flip_p


def cell_texts(run):
    """(file name, text) of a run's cells, in name order: from RUN/cells/, or from
    RUN/cells.tar.gz, where kept results hold them (cell names carry '[' and ']', which
    shell globs read as patterns)."""
    archive = os.path.join(run, "cells.tar.gz")
    if not os.path.isdir(os.path.join(run, "cells")) and os.path.exists(archive):
        with tarfile.open(archive) as tar:
            members = sorted((m for m in tar.getmembers() if m.isfile()), key=lambda m: os.path.basename(m.name))
            for m in members:
                yield os.path.basename(m.name), tar.extractfile(m).read().decode()
        return
    for path in sorted(glob.glob(os.path.join(run, "cells", "*__seed*.csv"))):
        with open(path, newline="") as f:
            yield os.path.basename(path), f.read()


def read_cells(run_dirs):
    cells = {}  # (method, classifier) -> {seed: [(fold, support[], hits[])]}
    for run in run_dirs:
        for name, text in cell_texts(run):
            if name.startswith("sample__") or not fnmatch.fnmatchcase(name, "*__seed*.csv"):
                continue  # synthetic rows for the figures, timings: not cells
            for r in csv.DictReader(io.StringIO(text, newline="")):
                classes = [k[len("support_"):] for k in r if k.startswith("support_")]
                support = [int(r["support_" + c]) for c in classes]
                hits = [int(r["hits_" + c]) for c in classes]
                cells.setdefault((r["method"], r["classifier"]), {}).setdefault(r["seed"], []).append((r["fold"], support, hits))
    return cells


def uar(support, hits):
    return sum(h / s for h, s in zip(hits, support) if s) / sum(1 for s in support if s)


def summary(by_seed):
    was, uars, folds = [], [], {}
    for seed, rows in by_seed.items():
        support = [sum(x) for x in zip(*(r[1] for r in rows))]
        hits = [sum(x) for x in zip(*(r[2] for r in rows))]
        was.append(sum(hits) / sum(support))
        uars.append(uar(support, hits))
        for fold, s, h in rows:
            folds.setdefault(fold, []).append(uar(s, h))
    spread = lambda v: statistics.stdev(v) if len(v) > 1 else 0.0
    return {"wa": (statistics.mean(was), spread(was)), "uar": (statistics.mean(uars), spread(uars)),
            "folds": {k: statistics.mean(v) for k, v in folds.items()}, "seeds": len(by_seed)}


def per_speaker_line(method, clf, differences):
    better = sum(1 for d in differences.values() if d >= 0.0005)
    worse = sum(1 for d in differences.values() if d <= -0.0005)
    largest = sorted(differences.items(), key=lambda kv: -abs(kv[1]))[:2]
    changes = ", ".join("%s %+.1f" % (fold, 100 * d) for fold, d in largest)
    return "| %s, %s | %d / %d / %d | %s |" % (method, clf, better, worse, len(differences) - better - worse, changes)


def main():
    args = sys.argv[1:]
    per_speaker = "--per-speaker" in args
    cells = read_cells([a for a in args if a != "--per-speaker"])
    rows, ps, speaker_lines = [], [], []
    for (method, clf), by_seed in cells.items():
        s = summary(by_seed)
        base = cells.get(("none", clf))
        p = None
        if method != "none" and base:
            paired = {seed: base[seed] for seed in by_seed if seed in base}
            if not paired:  # no seed in common: nothing to test against
                rows.append((method, clf, s, None))
                continue
            b = summary(paired)
            common = sorted(set(s["folds"]) & set(b["folds"]))
            differences = {k: s["folds"][k] - b["folds"][k] for k in common}
            p = sign_flip_p(list(differences.values()))
            speaker_lines.append(per_speaker_line(method, clf, differences))
            ps.append(p)
            s["delta"] = s["uar"][0] - b["uar"][0]
        rows.append((method, clf, s, p))
    adjusted = iter(holm(ps))
    print("| method | classifier | seeds | WA % | UAR % | ΔUAR | p | Holm |")
    print("|---|---|---|---|---|---|---|---|")
    for method, clf, s, p in rows:
        delta = "–" if p is None else "%+.1f" % (100 * s["delta"])
        tested = ("–", "–") if p is None else ("%.3f" % p, "%.3f" % next(adjusted))
        print("| %s | %s | %d | %.1f ± %.1f | %.1f ± %.1f | %s | %s | %s |" % (
            method, clf, s["seeds"], 100 * s["wa"][0], 100 * s["wa"][1], 100 * s["uar"][0], 100 * s["uar"][1], delta, *tested))
    if per_speaker:
        print()
        print("| method, classifier | speakers better / worse / equal | largest changes (UAR points) |")
        print("|---|---|---|")
        print("\n".join(speaker_lines))


if __name__ == "__main__":
    main()
