#!/usr/bin/env python3
"""Shape of the source tree, for reviews: include cycles between the folders (layers) of
src/seraug, files over 400 lines and functions over 60 lines.

    scripts/code_shape.py [ROOT]        (ROOT defaults to the repository)

Functions are found by brace matching on lines with comments and string literals blanked:
a block opened at namespace level (outside any class, not a namespace/struct/enum/array)
counts as one function; a lambda inside a function counts with it.
"""
import re
import sys
from pathlib import Path

root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
src = root / "src"
files = sorted(p for p in src.rglob("*") if p.suffix in (".cpp", ".hpp"))


def folder_of(path):
    parts = path.relative_to(src).parts
    return parts[1] if parts[0] == "seraug" and len(parts) > 2 else parts[0]


# Folder graph from #include "seraug/<folder>/...".
edges = {}
for f in files:
    here = folder_of(f)
    for m in re.finditer(r'#include "seraug/([a-z_]+)/', f.read_text()):
        if m.group(1) != here:
            edges.setdefault(here, set()).add(m.group(1))


def cycles(graph):
    """Strongly connected components with more than one folder (Tarjan)."""
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(set(graph) | {w for ws in graph.values() for w in ws}):
        if v not in index:
            visit(v)
    return out


def pairs(graph):
    return sorted({tuple(sorted((a, b))) for a in graph for b in graph[a] if a in graph.get(b, ())})


def blank(text):
    text = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r'R"\((.*?)\)"', lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
    text = re.sub(r'"(\\.|[^"\\\n])*"', '""', text)
    return re.sub(r"'(\\.|[^'\\\n])'", "''", text)


def long_functions(path, limit=60):
    text = blank(path.read_text())
    found, depth, kinds, start, head = [], 0, [], None, ""
    for lineno, line in enumerate(text.split("\n"), 1):
        for i, ch in enumerate(line):
            if ch == "{":
                before = (head + line[:i]).strip()
                is_scope = re.search(r"\b(namespace|struct|class|enum|union)\b[^;(){}]*$", before) or before.endswith("=") or \
                    before.endswith("extern \"\"")
                kind = "scope" if (is_scope and (not kinds or kinds[-1] == "scope")) else "block"
                if kind == "block" and (not kinds or kinds[-1] == "scope") and start is None:
                    start = (lineno, re.sub(r"\s+", " ", before)[-90:])
                kinds.append(kind)
                head = ""
            elif ch == "}":
                if kinds:
                    kinds.pop()
                if start and (not kinds or kinds[-1] == "scope"):
                    length = lineno - start[0] + 1
                    if length > limit:
                        found.append((length, start[0], start[1]))
                    start = None
                head = ""
            elif ch == ";":
                head = ""
        head += line[line.rfind(";") + 1 if ";" in line else 0:] + " " if not line.strip().endswith("{") else ""
    return found


print("include cycles between folders:", len(cycles(edges)))
for c in cycles(edges):
    print("  cycle:", " <-> ".join(c))
for a, b in pairs(edges):
    print(f"  mutual: {a} <-> {b}")
big = [(len(f.read_text().split(chr(10))) - 1, f) for f in files]
big = [(n, f) for n, f in big if n > 400]
print("files over 400 lines:", len(big))
for n, f in sorted(big, reverse=True):
    print(f"  {n:5d}  {f.relative_to(root)}")
longs = [(n, f, line, sig) for f in files for n, line, sig in long_functions(f)]
print("functions over 60 lines:", len(longs))
for n, f, line, sig in sorted(longs, reverse=True):
    print(f"  {n:5d}  {f.relative_to(root)}:{line}  {sig}")
