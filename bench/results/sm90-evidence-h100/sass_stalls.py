#!/usr/bin/env python3
"""Sum the warp-state samples of an ncu source page (--page source --print-source sass --csv)
by stall reason and by opcode.

Usage: sass_stalls.py <name>-sass.csv ...
Prints per file: all samples, the eight largest stall reasons, and the opcodes that hold the
most samples overall and the most dispatch-stall samples.
"""
import collections
import csv
import re
import sys


def opcode(source):
    text = re.sub(r"^@!?U?P\w+\s+", "", source.strip())  # drop the predicate
    return text.split()[0].split(".")[0] if text else "?"


def main(paths):
    for path in paths:
        rows = list(csv.reader(open(path)))
        hdr, data = rows[1], rows[2:]  # row 0 names the kernel
        col = {h: i for i, h in enumerate(hdr)}
        reasons = [h for h in hdr if h.startswith("stall_") and "Not Issued" not in h]
        by_reason, by_op, dispatch_by_op = collections.Counter(), collections.Counter(), collections.Counter()
        for r in data:
            op = opcode(r[col["Source"]])
            for h in reasons:
                by_reason[h[len("stall_"):]] += float(r[col[h]] or 0)
            by_op[op] += float(r[col["Warp Stall Sampling (All Samples)"]] or 0)
            dispatch_by_op[op] += float(r[col["stall_dispatch"]] or 0)
        total = sum(by_op.values())
        print(f"{path}: {total:.0f} samples")
        print("  by reason:", ", ".join(f"{k} {v / total:.1%}" for k, v in by_reason.most_common(8)))
        print("  by opcode:", ", ".join(f"{k} {v / total:.1%}" for k, v in by_op.most_common(8)))
        print("  dispatch stalls by opcode:", ", ".join(f"{k} {v:.0f}" for k, v in dispatch_by_op.most_common(6)))


if __name__ == "__main__":
    main(sys.argv[1:])
