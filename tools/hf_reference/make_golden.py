#!/usr/bin/env python3
"""Golden logits and greedy tokens from Hugging Face transformers for a Qwen3-FP8 folder.

The independent reference of the CPU reference (src/reference/qwen3/) and of the GPU model:
`transformers.Qwen3ForCausalLM` in bf16, built from the folder's config.json and run by HF's
own code (weight mapping, q/k norm per head, RoPE, GQA, causal mask, DynamicCache, residual
structure, SwiGLU, final norm, tied lm_head). It computes what docs/engine-numerics.md
says, so that the C++ reference can be compared with it bit for bit. Where it departs from
stock HF, and why:

  * FP8 linears: W = weight (e4m3) · weight_scale_inv per 128x128 block, exact (float64),
    never rounded to bf16 (stock HF would hold bf16(W)); the input quantized per token per
    128 columns (s = max(amax, 1e-10)/448, q = e4m3(x/s)) and dequantized exactly; the sum
    in float64, rounded to bf16.
  * Every sum the contract leaves in "any order" is evaluated in float64, as the C++
    reference does: RMSNorm's mean of squares (then fp32, as HF), SiLU, attention (scores,
    softmax, PV; registered with AttentionInterface as "blockfp8_fp64"), the lm_head.
    These small random models are chaotic: the e4m3 activation quantization turns a one-ulp
    difference anywhere into a whole e4m3 step, so an fp32 sum in another order moves logits
    by 1e-2..1e-1 after a few hundred tokens and flips greedy tokens. In float64 both
    implementations get the same bits whatever their order.
  * Logits are fp32 from HF's final hidden state (stock HF's lm_head returns bf16 logits);
    greedy decoding is a plain loop over HF's DynamicCache (generate() would round the
    logits to bf16 first).

--variants also runs these and prints how far each is from the fixture's run:
  fp32_sums       stock HF's fp32 RMSNorm and SiLU, attention in fp32 (what a GPU does)
  sdpa_attention  HF's default attention (bf16 probabilities before the PV product)
  no_act_quant    no activation quantization
  stock           HF as a user runs it: bf16 W, no activation quantization, sdpa, bf16 logits

Prompts are deterministic token ids (a fixed-seed numpy generator), stored in the fixture.
Installs nothing: tools/hf_reference/requirements.txt pins what made the committed fixtures.

The committed fixtures (about 2 minutes each on 2 cores, 7 with --variants):
  blockfp8 synth --arch qwen3-tiny --seed 1 --out /tmp/tiny
  python3 tools/hf_reference/make_golden.py --checkpoint /tmp/tiny --out tests/fixtures/qwen3/qwen3-tiny.json
  blockfp8 synth --arch qwen3-tiny-untied --seed 2 --scale-dtype bf16 --out /tmp/untied
  python3 tools/hf_reference/make_golden.py --checkpoint /tmp/untied --out tests/fixtures/qwen3/qwen3-tiny-untied.json
The C++ test rebuilds each checkpoint from the fixture's "synthetic" record (arch, seed,
scale dtype), so a fixture made from a folder that synth did not write cannot be tested.
"""

import argparse
import inspect
import json
import pathlib
import sys

import numpy as np
import torch
import transformers
from safetensors import safe_open

GROUP = 128
E4M3_MAX = 448.0
MIN_AMAX = 1e-10
FP8_LINEARS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
TOP = 32                      # top logits stored per checked position
FIXED_IDS = (0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987)
CHECKED_STEPS = (0, 1, 7, 31, 63)   # step 0: the prefill's last position; step s: decode step s


def load_tensors(folder: pathlib.Path) -> dict:
    index = folder / "model.safetensors.index.json"
    files = sorted(set(json.loads(index.read_text())["weight_map"].values())) if index.exists() \
        else ["model.safetensors"]
    tensors = {}
    for name in files:
        with safe_open(folder / name, framework="pt") as f:
            for key in f.keys():
                tensors[key] = f.get_tensor(key)
    return tensors


def dequantize_weight(weight: torch.Tensor, scale_inv: torch.Tensor) -> torch.Tensor:
    """W[n, k] = weight[n, k] · scale_inv[n / 128, k / 128], exact in float64."""
    n, k = weight.shape
    s = scale_inv.double().repeat_interleave(GROUP, 0)[:n].repeat_interleave(GROUP, 1)[:, :k]
    return weight.double() * s


def quant_dequant_activations(x: torch.Tensor) -> torch.Tensor:
    """The contract's per-token, per-128-column e4m3 quantization, dequantized exactly (float64)."""
    shape = x.shape
    g = x.float().reshape(-1, shape[-1] // GROUP, GROUP)
    amax = g.abs().amax(dim=-1, keepdim=True)
    s = torch.clamp(amax, min=MIN_AMAX) / E4M3_MAX                 # fp32, as the contract
    q = (g / s).to(torch.float8_e4m3fn)                           # round to nearest even; |g/s| <= 448
    return (q.double() * s.double()).reshape(shape)


class BlockFp8Linear(torch.nn.Module):
    """bf16 in, bf16 out; exact block-dequantized weight; optional activation quantization."""

    def __init__(self, weight: torch.Tensor, act_quant: bool):
        super().__init__()
        self.register_buffer("weight64", weight)
        self.act_quant = act_quant

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a = quant_dequant_activations(x) if self.act_quant else x.double()
        return (a @ self.weight64.T).float().to(torch.bfloat16)


class ExactMeanRMSNorm(torch.nn.Module):
    """Qwen3RMSNorm with its mean of squares in float64 (rounded to fp32); the rest as HF."""

    def __init__(self, norm):
        super().__init__()
        self.weight = norm.weight
        self.eps = norm.variance_epsilon

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = x.float()
        variance = x.double().pow(2).mean(-1, keepdim=True).float()
        return self.weight * (h * torch.rsqrt(variance + self.eps)).to(x.dtype)


class ExactSiLU(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.silu(x.double()).float().to(x.dtype)


def attention(module, query, key, value, attention_mask, scaling, dtype, **kwargs):
    """The contract's attention: scores · d^-0.5, causal softmax, PV in `dtype`, bf16 out.
    query [1, heads, q_len, d], key/value [1, kv_heads, kv_len, d]; batch 1, no padding."""
    groups = query.shape[1] // key.shape[1]
    q = query.to(dtype)
    k = key.to(dtype).repeat_interleave(groups, dim=1)        # head h reads KV head h // groups
    v = value.to(dtype).repeat_interleave(groups, dim=1)
    scores = (q @ k.transpose(-1, -2)) * scaling
    q_len, kv_len = scores.shape[-2:]
    visible = torch.arange(kv_len)[None, :] <= (kv_len - q_len + torch.arange(q_len))[:, None]
    probs = torch.softmax(scores.masked_fill(~visible, float("-inf")), dim=-1)
    return (probs @ v).float().to(query.dtype).transpose(1, 2).contiguous(), None


transformers.AttentionInterface.register("blockfp8_fp64", lambda *a, **k: attention(*a, dtype=torch.float64, **k))
transformers.AttentionInterface.register("blockfp8_fp32", lambda *a, **k: attention(*a, dtype=torch.float32, **k))

# mode: (contract FP8 linears, activation quantization, float64 norm/SiLU/lm_head, attention)
MODES = {
    "contract": (True, True, True, "blockfp8_fp64"),
    "fp32_sums": (True, True, False, "blockfp8_fp32"),
    "sdpa_attention": (True, True, True, "sdpa"),
    "no_act_quant": (True, False, True, "blockfp8_fp64"),
    "stock": (False, False, False, "sdpa"),
}


def build_model(folder: pathlib.Path, mode: str) -> transformers.Qwen3ForCausalLM:
    fp8_linears, act_quant, exact_sums, attention_impl = MODES[mode]
    cfg = json.loads((folder / "config.json").read_text())
    cfg.pop("quantization_config", None)
    config = transformers.Qwen3Config(**cfg)
    config._attn_implementation = attention_impl
    # As from_pretrained(dtype=bf16) builds it: parameters bf16, RoPE's inv_freq buffer fp32
    # (model.to(bf16) would round inv_freq to bf16 too).
    model = transformers.Qwen3ForCausalLM._from_config(config, dtype=torch.bfloat16).eval()
    tensors = load_tensors(folder)
    state = {}
    for name, t in tensors.items():
        if name.endswith("weight_scale_inv"):
            continue
        base = name[: -len(".weight")]
        if base.split(".")[-1] in FP8_LINEARS:
            w = dequantize_weight(t, tensors[base + ".weight_scale_inv"])
            if fp8_linears:
                parent = model.get_submodule(base.rsplit(".", 1)[0])
                setattr(parent, base.split(".")[-1], BlockFp8Linear(w, act_quant))
            else:
                state[name] = w.to(torch.bfloat16)
        else:
            state[name] = t.to(torch.bfloat16)
    tied = config.tie_word_embeddings
    if tied:
        state.pop("lm_head.weight", None)
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [m for m in missing if not m.endswith("weight64") and not (tied and m == "lm_head.weight")]
    if missing or unexpected:
        sys.exit(f"error: {folder}: missing tensors {missing}, unexpected {unexpected}")
    if exact_sums:
        for name, module in list(model.named_modules()):
            if isinstance(module, transformers.models.qwen3.modeling_qwen3.Qwen3RMSNorm):
                parent, _, child = name.rpartition(".")
                setattr(model.get_submodule(parent), child, ExactMeanRMSNorm(module))
            elif isinstance(module, transformers.models.qwen3.modeling_qwen3.Qwen3MLP):
                module.act_fn = ExactSiLU()
    model.fp32_logits = mode != "stock"
    return model


def logits_fp32(model, hidden: torch.Tensor) -> torch.Tensor:
    """Logits of the last position: bf16 hidden · bf16 lm_head summed in float64, then fp32
    (stock: HF's bf16 lm_head output)."""
    h = hidden[0, -1]
    if not model.fp32_logits:
        return model.lm_head(h).float()
    if not hasattr(model, "lm_head64"):
        model.lm_head64 = model.lm_head.weight.double()
    return (h.double() @ model.lm_head64.T).float()


@torch.no_grad()
def greedy(model, prompt: list, steps: int):
    # transformers renamed past_key_values to cache (5.2x); take whichever this version has.
    cache_arg = "cache" if "cache" in inspect.signature(model.model.forward).parameters else "past_key_values"
    cache = {cache_arg: transformers.DynamicCache(config=model.config)}
    out = model.model(input_ids=torch.tensor([prompt]), use_cache=True, **cache)
    logits = [logits_fp32(model, out.last_hidden_state)]
    tokens = [int(torch.argmax(logits[-1]))]
    for _ in range(steps - 1):
        out = model.model(input_ids=torch.tensor([[tokens[-1]]]), use_cache=True, **cache)
        logits.append(logits_fp32(model, out.last_hidden_state))
        tokens.append(int(torch.argmax(logits[-1])))
    return tokens, logits


def position_record(step: int, logits: torch.Tensor) -> dict:
    top = torch.topk(logits, TOP)
    l64 = logits.double()
    return {
        "step": step,
        "top_ids": top.indices.tolist(),
        "top_logits": top.values.tolist(),
        "fixed_ids": [i for i in FIXED_IDS if i < logits.numel()],
        "fixed_logits": [float(logits[i]) for i in FIXED_IDS if i < logits.numel()],
        "mean": float(l64.mean()), "std": float(l64.std()), "min": float(l64.min()), "max": float(l64.max()),
        "logsumexp": float(torch.logsumexp(l64, 0)),
    }


def margin(logits: torch.Tensor) -> float:
    top2 = torch.topk(logits, 2).values
    return float(top2[0] - top2[1])


def prompt_ids(length: int, vocab: int, seed: int) -> list:
    return np.random.default_rng(seed + length).integers(0, vocab, size=length).tolist()


def compare(a_logits, b_logits, a_tokens, b_tokens) -> str:
    same = 0
    while same < len(a_tokens) and a_tokens[same] == b_tokens[same]:
        same += 1
    shared = range(min(same + 1, len(a_tokens)))   # steps whose inputs are still identical
    worst = max(float((a_logits[s] - b_logits[s]).abs().max()) for s in shared)
    return f"{same}/{len(a_tokens)} greedy steps identical, max |logit diff| {worst:.3g} while the paths agree"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True, type=pathlib.Path, help="Qwen3-FP8 folder (e.g. from blockfp8 synth)")
    ap.add_argument("--out", type=pathlib.Path, help="fixture to write (JSON)")
    ap.add_argument("--prompts", default="1,100,3000", help="prompt lengths (comma-separated)")
    ap.add_argument("--steps", type=int, default=64, help="greedy steps per prompt")
    ap.add_argument("--seed", type=int, default=1234, help="seed of the prompt ids")
    ap.add_argument("--variants", action="store_true", help="also run the variants above and print the differences")
    args = ap.parse_args()
    if not (args.checkpoint / "config.json").is_file():
        sys.exit(f"error: --checkpoint {args.checkpoint}: no config.json")
    if args.steps < max(CHECKED_STEPS) + 1:
        sys.exit(f"error: --steps {args.steps}: at least {max(CHECKED_STEPS) + 1} (the checked steps)")
    torch.manual_seed(0)   # the random init that load_state_dict overwrites

    # blockfp8's synth records how it made the folder, so the C++ test can make it again.
    synthetic = json.loads((args.checkpoint / "config.json").read_text()).get("blockfp8_synthetic", {})
    if not synthetic:
        print(f"warning: {args.checkpoint} was not written by blockfp8 synth (no blockfp8_synthetic in "
              "config.json): tests/reference_qwen3/golden_test.cpp cannot rebuild it", file=sys.stderr)
    lengths = [int(x) for x in args.prompts.split(",")]
    modes = list(MODES) if args.variants else ["contract"]
    models = {m: build_model(args.checkpoint, m) for m in modes}
    vocab = models["contract"].config.vocab_size
    fixture = {
        "made_by": "tools/hf_reference/make_golden.py",
        "transformers": transformers.__version__, "torch": torch.__version__,
        "attn_implementation": MODES["contract"][3], "synthetic": synthetic,
        "steps": args.steps, "prompts": [],
    }
    for length in lengths:
        prompt = prompt_ids(length, vocab, args.seed)
        runs = {m: greedy(models[m], prompt, args.steps) for m in modes}
        tokens, logits = runs["contract"]
        fixture["prompts"].append({
            "length": length, "ids": prompt, "greedy": tokens,
            "min_top2_margin": min(margin(l) for l in logits),
            "positions": [position_record(s, logits[s]) for s in CHECKED_STEPS],
        })
        print(f"prompt {length}: smallest top-2 margin {fixture['prompts'][-1]['min_top2_margin']:.3g}, "
              f"logit std {float(logits[0].std()):.3g}")
        for m in modes[1:]:
            print(f"  {m}: {compare(logits, runs[m][1], tokens, runs[m][0])}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(fixture, separators=(",", ":")) + "\n")
        print(f"wrote {args.out} ({args.out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
