#!/usr/bin/env python3
"""The shape of the code; run it from the project root: `python3 .ci/shape.py`.
(A copy of the project brief's checker, ../shared/bench/shape.py.)
Reports import cycles between the top-level modules of src/ (a module is src/NAME.rs or src/NAME/;
it reads `crate::a::b` paths and `use crate::{...}`), non-test functions longer than 80 lines and
source files longer than 700 lines (tests excepted). Exits 1 when any is found."""
import os
import re
import sys

SRC = "src"
if not os.path.isdir(SRC):
    print("no src/")
    sys.exit(1)
edges, long_fns, long_files = {}, [], []


def top(path):
    rel = os.path.relpath(path, SRC)
    return rel.split(os.sep)[0].removesuffix(".rs")


for d, _, names in os.walk(SRC):
    for n in names:
        if not n.endswith(".rs"):
            continue
        p = os.path.join(d, n)
        text = open(p, encoding="utf-8").read()
        # drop #[cfg(test)] modules and test files
        cut = re.search(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", text)
        body = text[:cut.start()] if cut else text
        if n in ("tests.rs",) or p.endswith("/tests.rs"):
            continue
        me = top(p)
        refs = set(re.findall(r"crate::(\w+)", body))
        for block in re.findall(r"use crate::\{([^}]*)\}", body):
            refs |= set(re.findall(r"(?:^|[,\s{])(\w+)::", block)) | set(re.findall(r"(?:^|[,\s])(\w+)\s*(?:,|$)", block))
        for r in refs:
            if r != me and (os.path.exists(os.path.join(SRC, r + ".rs")) or os.path.isdir(os.path.join(SRC, r))):
                edges.setdefault(me, set()).add(r)
        # char and string literals and comments must not count as braces
        code = re.sub(r"//[^\n]*", "", body)
        code = re.sub(r"'(\\.|[^'\\])'", "' '", code)
        code = re.sub(r'r#*"(?:.|\n)*?"#*|"(\\.|[^"\\])*"', '""', code)
        lines = code.split("\n")
        if len(body.split("\n")) > 700 and me not in ("main", "lib"):
            long_files.append(f"{p} {len(lines)}")
        i = 0
        while i < len(lines):
            m = re.match(r"\s*(pub(\([^)]*\))?\s+)?(async\s+)?(const\s+)?fn\s+(\w+)", lines[i])
            if m and "{" in "".join(lines[i:i + 12]):
                depth, j, started = 0, i, False
                while j < len(lines):
                    depth += lines[j].count("{") - lines[j].count("}")
                    if "{" in lines[j]:
                        started = True
                    if started and depth <= 0:
                        break
                    j += 1
                if j - i + 1 > 80:
                    long_fns.append(f"{p}:{i + 1} {m.group(5)} {j - i + 1} lines")
                i = j + 1
                continue
            i += 1
# cycles between top-level modules (Tarjan)
index, low, stack, on, sccs, k = {}, {}, [], set(), [], [0]


def strong(v):
    index[v] = low[v] = k[0]
    k[0] += 1
    stack.append(v)
    on.add(v)
    for w in edges.get(v, ()):
        if w not in index:
            strong(w)
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
            sccs.append(sorted(comp))


sys.setrecursionlimit(10000)
for v in list(edges):
    if v not in index:
        strong(v)
for c in sccs:
    print("import cycle between modules: " + " <-> ".join(c))
for f in long_fns:
    print("long function: " + f)
for f in long_files:
    print("long file: " + f)
print(f"architecture: {len(sccs)} module cycles, {len(long_fns)} functions over 80 lines, {len(long_files)} files over 700 lines; goal 0, 0, 0")
sys.exit(0 if not sccs and not long_fns and not long_files else 1)
