#!/usr/bin/env python3
"""Tabulate run 216's ncu profiles (<name>-raw.csv, one kernel launch each) as markdown.

Usage: ncu_table.py <folder with the *-raw.csv files>
Prints per profile: kernel duration, SM clock, DRAM bytes and achieved bandwidth, L2 bytes,
tensor-pipe and issue activity, eligible warps, and the three largest stall reasons (warps
stalled per issued instruction, 'selected' left out).
"""
import csv
import glob
import os
import sys

UNIT = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "byte": 1, "Kbyte": 1e3, "Mbyte": 1e6,
        "Gbyte": 1e9, "hz": 1, "Khz": 1e3, "Mhz": 1e6, "Ghz": 1e9}


def load(path):
    rows = list(csv.reader(open(path)))
    if len(rows) < 3:  # ncu wrote an error instead of a profile
        return {}
    hdr, units, vals = rows[0], rows[1], rows[2]
    out = {}
    for h, u, v in zip(hdr, units, vals):
        try:
            out[h] = float(v.replace(",", "")) * UNIT.get(u, 1)
        except ValueError:
            out[h] = v
    return out


def main(folder):
    print("| profile | kernel | µs | SM GHz | DRAM MB read/write | DRAM TB/s | L2 MB | tensor pipe % | issue % | eligible warps | top stalls (per issue) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for path in sorted(glob.glob(os.path.join(folder, "*-raw.csv"))):
        m = load(path)
        name = os.path.basename(path)[: -len("-raw.csv")]
        if "gpu__time_duration.sum" not in m:
            print(f"| {name} | (no profile) |" + " |" * 9)
            continue
        t = m["gpu__time_duration.sum"]
        rd, wr = m["dram__bytes_read.sum"], m["dram__bytes_write.sum"]
        prefix, suffix = "smsp__average_warps_issue_stalled_", "_per_issue_active.ratio"
        stalls = sorted(((v, k[len(prefix):-len(suffix)]) for k, v in m.items()
                         if k.startswith(prefix) and k.endswith(suffix) and "selected" not in k), reverse=True)
        kernel = str(m.get("Kernel Name", "?")).replace("void ", "").split("(")[0]
        print(f"| {name} | `{kernel[:48]}` | {t * 1e6:.2f} | {m['gpc__cycles_elapsed.avg.per_second'] / 1e9:.2f} | "
              f"{rd / 1e6:.1f} / {wr / 1e6:.1f} | {(rd + wr) / t / 1e12:.2f} | {m['lts__t_bytes.sum'] / 1e6:.0f} | "
              f"{m['sm__pipe_tensor_cycles_active.avg.pct_of_peak_sustained_active']:.1f} | "
              f"{m['smsp__issue_active.avg.pct_of_peak_sustained_active']:.1f} | "
              f"{m.get('smsp__warps_eligible.avg.per_cycle_active', float('nan')):.2f} | "
              + ", ".join(f"{k} {v:.2f}" for v, k in stalls[:3]) + " |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
