#!/usr/bin/env python3
"""Plot `blockfp8 bench` results (the `kind: e2e` JSON of DESIGN §4) as one PNG.

Top: tokens/s = (input + output) / time for every model and input length, one bar per GEMM
backend (log scale: 0.6B and 32B differ by ~10x). Bottom: inter-token latency divided by the
decode bandwidth bound (weights + KV cache bytes per step / HBM bandwidth); 1.0 is the bound,
the dashed lines are issue 6's targets (1.10 and 1.25). A backend that refused a model has no
bar and a "refused" mark; rows without a bound (the CPU reference) leave the bottom panel empty.

    python3 bench/plot_e2e.py                                   # every bench/results/e2e-*.json
    python3 bench/plot_e2e.py bench/results/e2e-h100.json --out /tmp/e2e.png
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import plot_cli  # noqa: E402  (beside this script)

MODEL_ORDER = ["Qwen3-0.6B", "Qwen3-1.7B", "Qwen3-4B", "Qwen3-8B", "Qwen3-14B", "Qwen3-32B"]
COLORS = {"blockfp8": "#2b7bba", "cublaslt": "#9a9a9a", "cpu-reference": "#c07a2b"}


def groups(rows):
    """(model, input) pairs in model-size order, then input order; backends in first-seen order."""
    models = sorted({r["model"] for r in rows},
                    key=lambda m: (MODEL_ORDER.index(m) if m in MODEL_ORDER else len(MODEL_ORDER), m))
    keys = [(m, i) for m in models for i in sorted({r["input"] for r in rows if r["model"] == m})]
    backends = []
    for r in rows:
        if r["backend"] not in backends:
            backends.append(r["backend"])
    return keys, backends


def bar_panel(ax, rows, keys, backends, field, ylabel, log):
    index = {(r["model"], r["input"], r["backend"]): r for r in rows}
    width = 0.8 / len(backends)
    for b, backend in enumerate(backends):
        xs, ys = [], []
        for k, (model, inp) in enumerate(keys):
            r = index.get((model, inp, backend))
            x = k + (b - (len(backends) - 1) / 2) * width
            if r is None:
                continue
            if r.get(field) is None:
                if r.get("error"):
                    ax.text(x, 0.02, "refused", rotation=90, ha="center", va="bottom", fontsize=7,
                            color="#555555", transform=ax.get_xaxis_transform())
                continue
            xs.append(x)
            ys.append(r[field])
        ax.bar(xs, ys, width, label=backend, color=COLORS.get(backend))
        for x, y in zip(xs, ys):
            ax.text(x, y, f"{y:.0f}" if field == "tokens_per_s" else f"{y:.2f}", ha="center", va="bottom",
                    fontsize=6.5, rotation=90)
    ax.set_ylabel(ylabel)
    values = [r[field] for r in rows if r.get(field)]
    if log and values:
        ax.set_yscale("log")
    if values:  # headroom for the value labels above the bars
        ax.set_ylim(top=max(values) * (2.5 if log else 1.2))
    ax.set_xticks(range(len(keys)))
    ax.set_xticklabels([f"{m}\n{i}" for m, i in keys], fontsize=7)
    ax.grid(axis="y", alpha=0.3)


def plot(path, out):
    with open(path) as f:
        doc = json.load(f)
    if doc.get("kind") != "e2e":
        sys.exit(f"{path}: kind is {doc.get('kind')!r}, expected 'e2e'")
    rows = doc["rows"]
    if not rows:
        sys.exit(f"{path}: no rows")
    keys, backends = groups(rows)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(max(8, 0.9 * len(keys) + 2), 8), sharex=True)
    output = sorted({r["output"] for r in rows})
    bar_panel(top, rows, keys, backends, "tokens_per_s", "tokens/s  (input + output) / time", log=True)
    top.set_title(f"{doc.get('gpu', '?')}: batch 1, output {', '.join(map(str, output))} tokens "
                  f"(commit {doc.get('commit', '?')}, {doc.get('date', '?')})", fontsize=9)
    top.legend(fontsize=8)
    bar_panel(bottom, rows, keys, backends, "itl_over_bound", "ITL / decode bound", log=False)
    for target in (1.10, 1.25):
        bottom.axhline(target, color="#aa3333", linestyle="--", linewidth=0.8,
                       label="issue 6 targets (1.10, 1.25)" if target == 1.10 else None)
    bottom.axhline(1.0, color="black", linewidth=0.8)
    bottom.legend(fontsize=8, loc="upper left", ncol=3)
    bottom.set_xlabel("model, input tokens")
    if all(r.get("itl_bound_ms") is None for r in rows):
        bottom.text(0.5, 0.5, "no bandwidth bound (no GPU)", ha="center", va="center", transform=bottom.transAxes)
    fig.tight_layout()
    fig.savefig(out, dpi=130)
    plt.close(fig)
    print(f"wrote {out}")


def main():
    plot_cli.run(__doc__, "bench/results/e2e-*.json", plot, "e2e result")


if __name__ == "__main__":
    main()
