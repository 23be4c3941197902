#!/usr/bin/env python3
"""Plot `blockfp8 gemm-bench` results: one PNG per bench/results/gemm-<gpu>.json.

The library's default plan (rows marked "default": what gemm() runs, whichever family)
and then each kernel family get one row of two heatmaps over the grid (rows: model x
linear, columns: M). The left map shows the speedup over cuBLASLt: green means faster, red means
slower, and grey means cuBLASLt refused the shape. The right map shows the fraction of the
roofline max(2MNK / 1979 TFLOP/s, bytes / 3.35 TB/s) reached. Every cell carries its value,
so the figure reads without a colour scale.

    python3 bench/plot_gemm.py                       # every bench/results/gemm-*.json
    python3 bench/plot_gemm.py bench/results/gemm-h100.json -o /tmp/x.png
"""
import json
import math
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import LinearSegmentedColormap, LogNorm, Normalize  # noqa: E402
import plot_cli  # noqa: E402  (beside this script)

MODELS = ["Qwen3-0.6B", "Qwen3-1.7B", "Qwen3-4B", "Qwen3-8B", "Qwen3-14B", "Qwen3-32B"]
LINEARS = ["qkv", "o", "gate_up", "down"]


def grid_axes(rows):
    """The (model, linear) pairs and M values present, in grid order."""
    present = {(r["shape"].rsplit(" ", 1)[0], r["shape"].rsplit(" ", 1)[1]) for r in rows}
    shapes = [(m, l) for m in MODELS for l in LINEARS if (m, l) in present]
    shapes += sorted(present - set(shapes))
    ms = sorted({r["m"] for r in rows})
    return shapes, ms


def matrix(rows, family, key, shapes, ms):
    """A [shape, M] array of row[key] for one family, or for the default plans when family
    is "default" (NaN where missing or null). Sweep rows (--all-tiles) are left out."""
    def selected(r):
        return not r.get("sweep") and (r.get("default") if family == "default" else r.get("family") == family)
    index = {(r["shape"], r["m"]): r for r in rows if selected(r)}
    out = np.full((len(shapes), len(ms)), np.nan)
    for i, (model, linear) in enumerate(shapes):
        for j, m in enumerate(ms):
            r = index.get((f"{model} {linear}", m))
            if r is not None and r.get(key) is not None:
                out[i, j] = r[key]
    return out


def annotate(ax, values, fmt, labels):
    """Each cell's value, or labels[i][j] ("n/a", "error") where the value is missing."""
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            v = values[i, j]
            text = labels[i][j] if math.isnan(v) else fmt.format(v)
            if text:
                ax.text(j, i, text, ha="center", va="center", fontsize=7.5 if not math.isnan(v) else 7,
                        color="black" if not math.isnan(v) else "#555555")


def heatmap(ax, values, cmap, norm, title, shapes, ms, fmt, labels):
    masked = np.ma.masked_invalid(values)
    cmap = cmap.copy() if hasattr(cmap, "copy") else cmap
    cmap.set_bad("#dddddd")
    im = ax.imshow(masked, cmap=cmap, norm=norm, aspect="auto")
    annotate(ax, values, fmt, labels)
    ax.set_xticks(range(len(ms)), [str(m) for m in ms])
    ax.set_xlabel("M (tokens)")
    ax.set_yticks(range(len(shapes)), [f"{m.replace('Qwen3-', '')} {l}" for m, l in shapes], fontsize=8)
    # A rule between models.
    for i in range(1, len(shapes)):
        if shapes[i][0] != shapes[i - 1][0]:
            ax.axhline(i - 0.5, color="white", linewidth=2)
    ax.set_title(title, fontsize=10)
    return im


def geomean(values):
    v = values[np.isfinite(values) & (values > 0)]
    return float(np.exp(np.mean(np.log(v)))) if v.size else float("nan")


def plot(path, out):
    with open(path) as f:
        doc = json.load(f)
    rows = doc["rows"]
    families = []
    for r in rows:  # the default plans first, then each family in file order
        fam = r.get("family")
        if fam and fam not in families:
            families.append(fam)
    if any(r.get("default") for r in rows):
        families.insert(0, "default")
    if not families:
        print(f"skipped {path}: no rows of our kernels (a peer-only run?)")
        return
    shapes, ms = grid_axes(rows)

    speed_cmap = LinearSegmentedColormap.from_list("speed", ["#c0392b", "#f5f5f5", "#1e8449"])
    roof_cmap = plt.get_cmap("viridis")
    fig_h = 1.2 + len(families) * (0.32 * len(shapes) + 1.2)
    fig, axes = plt.subplots(len(families), 2, figsize=(15, fig_h), squeeze=False)
    # One speedup scale for every family (symmetric in log2, at least 0.5x..2x).
    all_speed = np.array([r["speedup"] for r in rows if r.get("speedup")], dtype=float)
    lim = 2.0 ** max(1, math.ceil(float(np.max(np.abs(np.log2(all_speed)))))) if all_speed.size else 2.0
    for row, fam in enumerate(families):
        speed = matrix(rows, fam, "speedup", shapes, ms)
        roof = matrix(rows, fam, "roofline_frac", shapes, ms)
        us = matrix(rows, fam, "us", shapes, ms)
        err = matrix(rows, fam, "max_rel_err", shapes, ms)
        label = "default plan" if fam == "default" else fam
        # Grey cells say why: our kernel errored (no time), or the peer refused the shape.
        ours_failed = np.isnan(us)
        labels = np.where(ours_failed, "error", np.where(np.isnan(speed), "n/a", ""))
        im = heatmap(axes[row][0], speed, speed_cmap, LogNorm(vmin=1 / lim, vmax=lim),
                     f"{label}: speedup over cuBLASLt (geomean {geomean(speed):.2f}x; n/a = cuBLASLt refused)",
                     shapes, ms, "{:.2f}", labels)
        bar = fig.colorbar(im, ax=axes[row][0], fraction=0.03, pad=0.01)
        ticks = [2.0 ** e for e in range(-int(math.log2(lim)), int(math.log2(lim)) + 1)]
        bar.set_ticks(ticks, labels=[f"{t:g}x" for t in ticks])
        bar.minorticks_off()
        worst = np.nanmax(err) if np.isfinite(err).any() else float("nan")
        im = heatmap(axes[row][1], roof, roof_cmap, Normalize(vmin=0, vmax=1),
                     f"{label}: fraction of roofline (worst max_rel_err {worst:.1e})",
                     shapes, ms, "{:.2f}", np.where(ours_failed, "error", ""))
        fig.colorbar(im, ax=axes[row][1], fraction=0.03, pad=0.01)
    fig.suptitle(f"blockfp8 block-scaled FP8 GEMM vs cuBLASLt, {doc.get('gpu', '?')} (driver {doc.get('driver', '?')}), "
                 f"commit {doc.get('commit', '?')}, {doc.get('date', '?')}\n"
                 "roofline = max(2MNK / 1979 TFLOP/s, bytes / 3.35 TB/s); "
                 "cold L2, CUDA graph, median of replays", fontsize=10)
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    fig.savefig(out, dpi=110)
    plt.close(fig)
    print(f"wrote {out}")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    plot_cli.run(__doc__, os.path.join(here, "results", "gemm-*.json"), plot, "gemm-bench result")


if __name__ == "__main__":
    main()
