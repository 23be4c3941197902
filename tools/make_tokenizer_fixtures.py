#!/usr/bin/env python3
"""Write the golden fixtures that the C++ tokenizer tests compare against.

Outputs (under tests/tokenizer/fixtures/ by default):
  qwen3_golden.json    ids from Hugging Face `tokenizers` for a test corpus encoded with the real
                       Qwen3 tokenizer.json, the HF decode of those ids, HF's NFC of each text,
                       ids for 200 short random strings, and chat-template renderings from
                       `transformers.apply_chat_template`.
  flags_tokenizer.json a small byte-level BPE tokenizer (trained here on the corpus, with the Qwen2
                       split regex and NFC) whose added tokens use lstrip / rstrip / single_word /
                       normalized, flags the Qwen3 file leaves off; it lets CI test the whole
                       pipeline without ../shared.
  flags_golden.json    HF ids and decodes for that small tokenizer.
and (under src/engine/tokenizer/):
  hf_nfc_marks.inc     the code points HF's NFC decomposes or treats as combining (canonical
                       combining class != 0). HF's normalizer carries Unicode-9-era data, so
                       marks added later (e.g. U+0D3B, U+09FE) are plain starters to it;
                       utf8proc knows them, and the C++ NFC uses this table to do as HF does.

Run once after changing the corpus and commit the outputs; CI never runs this script.
  pip install tokenizers transformers   # transformers only for the chat template goldens
  python3 tools/make_tokenizer_fixtures.py --tokenizer-dir ../shared/qwen3-tokenizer
"""
import argparse
import hashlib
import json
import os
import random
import unicodedata

import tokenizers
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

# ---------------------------------------------------------------------------------------------
# Corpus. Each entry exercises one part of the pipeline; keep names stable (tests print them).
# ---------------------------------------------------------------------------------------------
PYTHON_CODE = (
    "def fibonacci(n: int) -> list[int]:\n"
    "    \"\"\"Return the first n Fibonacci numbers.\"\"\"\n"
    "    seq = [0, 1]\n"
    "    while len(seq) < n:\n"
    "        seq.append(seq[-1] + seq[-2])  # grow\n"
    "    return seq[:n]\n"
    "\n"
    "class Foo:\n"
    "\tdef bar(self):\n"
    "\t\treturn {'a': 1, \"b\": [2, 3]}\n"
    "\n"
    "if __name__ == \"__main__\":\n"
    "    print(fibonacci(10), end='')\n"
)
CPP_CODE = (
    "#include <cstdio>\n"
    "template <typename T>\n"
    "static inline T ceil_div(T a, T b) { return (a + b - 1) / b; }\n"
    "\n"
    "int main(int argc, char** argv) {\n"
    "\tfor (int i = 0; i < argc; ++i) {\n"
    "\t\tstd::printf(\"%d: %s\\n\", i, argv[i]);\n"
    "\t}\n"
    "    auto x = ceil_div<size_t>(4096u, 128u);  // -> 32\n"
    "    return x != 32 ? -1 : 0;\n"
    "}\n"
)


def random_unicode_text(seed: int, length: int) -> str:
    """Deterministic mix of scripts, marks, emoji and whitespace (assigned code points only)."""
    rng = random.Random(seed)
    pools = [
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "0123456789",
        " \t\n\r  ",
        ".,;:!?'\"()[]{}<>/\\|@#$%^&*-_=+~`",
        "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年",
        "あいうえおかきくけこアイウエオカキクケコ",
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "αβγδεζηθικλμνξοπρστυφχψω",
        "\u0301\u0308\u0327\u030a\u0303",  # combining marks, attach to whatever precedes
        "😀😂🥲👍🏽🚀🔥✨❤️🇫🇷",
        "éèêëàçñøåßÆŒ",
    ]
    out = []
    for _ in range(length):
        pool = rng.choice(pools)
        out.append(rng.choice(pool))
    return "".join(out)


SCRIPT_RANGES = [
    (0x20, 0x7E), (0x00, 0x1F), (0x80, 0x2FF), (0x300, 0x36F), (0x370, 0x52F), (0x590, 0x6FF),
    (0x900, 0xDFF), (0x1100, 0x11FF), (0x1E00, 0x1FFF), (0x2000, 0x206F), (0x2070, 0x2BFF),
    (0x3000, 0x30FF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0xFB00, 0xFDFF), (0xFE00, 0xFE6F),
    (0xFF00, 0xFFEF), (0x10000, 0x1034F), (0x1D400, 0x1D7FF), (0x1F300, 0x1FAFF),
    (0x20000, 0x2A6DF), (0xE0000, 0xE007F),
]
FUZZ_PIECES = [
    "the", "The", "I'm", "don't", "it's", "WE'LL", "they'D", "12345", "3.14", "def", "  ", "\n",
    "\n\n", "\r\n", "\t", " \n ", "   \n", "!!", "...", "(", "{", "->", "é", "中文", "😀", "👍🏽",
    "<|im_start|>", "<|im_end|>", "<think>", "</think>", "<|endoftext|>", "\u00a0", "\u3000",
    "\u0085", "'", "'s", "'T", "'re", "ſ", "K", "ǅ", "İ", "ß",
]


def random_fuzz_texts(seed: int, count: int):
    """Short random strings: code points from many scripts (assigned in Python's Unicode
    database, so the result does not hinge on one library's Unicode version) mixed with
    contractions, whitespace and added tokens."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        parts = []
        for _ in range(rng.randint(1, 40)):
            if i % 2 == 0 or rng.random() < 0.1:
                parts.append(rng.choice(FUZZ_PIECES))
                continue
            lo, hi = rng.choice(SCRIPT_RANGES)
            c = rng.randint(lo, hi)
            if not 0xD800 <= c <= 0xDFFF and unicodedata.category(chr(c)) != "Cn":
                parts.append(chr(c))
        out.append((f"random_{i}", "".join(parts)))
    return out


CORPUS = [
    ("empty", ""),
    ("english_prose",
     "The quick brown fox jumps over the lazy dog. Tokenizers split text into pieces; "
     "the model never sees raw characters, only ids from a vocabulary of 151,643 entries."),
    ("english_paragraph",
     "In 1969, Apollo 11 landed on the Moon. Neil Armstrong said: \"That's one small step for "
     "[a] man, one giant leap for mankind.\" Later missions (Apollo 12-17) brought back ~382 kg "
     "of lunar samples -- a scientific treasure trove!"),
    ("chinese",
     "人工智能正在改变世界。我们今天讨论大型语言模型的推理效率，以及如何使用FP8量化来加速矩阵乘法。"
     "《红楼梦》是中国古典小说的巅峰之作。"),
    ("japanese",
     "東京は日本の首都です。ひらがな、カタカナ、漢字を混ぜて書きます。半角ｶﾀｶﾅも全角ＡＢＣも。"
     "「こんにちは、世界！」と彼は言った。"),
    ("korean", "안녕하세요, 세계! 한국어 토크나이저 테스트입니다."),
    ("emoji",
     "I love it 😀👍! Party 🎉🎊 rocket🚀. Flags: 🇯🇵🇺🇸🇫🇷. Heart ❤️ vs ❤ vs ♥. Keycap 1️⃣ #️⃣."),
    ("emoji_zwj_skin_tones",
     "Family 👨‍👩‍👧‍👦, couple 👩‍❤️‍💋‍👨, technologist 🧑🏽‍💻, waves 👋🏻👋🏼👋🏽👋🏾👋🏿, "
     "rainbow flag 🏳️‍🌈, pirate 🏴‍☠️."),
    ("code_python", PYTHON_CODE),
    ("code_cpp", CPP_CODE),
    ("numbers",
     "Pi = 3.14159265358979323846264338327950288; 2^64 = 18446744073709551616. "
     "Dates 2024-06-01T12:34:56Z, phone +1 (555) 010-9999, 1,000,000.00 USD, 0x7FFF_FFFF, 1e-5, "
     "Arabic-Indic ٠١٢٣٤٥٦٧٨٩, fullwidth １２３, roman Ⅻ, fraction ½, superscript x²."),
    ("long_digit_run", "12345678901234567890123456789012345678901234567890"),
    ("mixed_whitespace",
     "a  b   c    d\r\ne\n\n\nf \t\tg\t \n   h  \r\n\r\n  i   \n  trailing spaces   "),
    ("lone_newline", "\n"),
    ("only_spaces", "     "),
    ("spaces_then_newlines", "x   \n\n   y \n"),
    ("contractions",
     "It's done, don't worry, they're here, we've won, I'm sure, you'll see, he'd know. "
     "IT'S LOUD, DON'T SHOUT, THEY'RE GONE. O'Neil's 'quoted' words, rock'n'roll, y'all'd've."),
    ("decomposed_accents",
     "Cafe\u0301 cre\u0300me bru\u0302le\u0301e, nai\u0308ve re\u0301sume\u0301, A\u030angstro\u0308m, "
     "Se\u00f1or vs Sen\u0303or, Hangul jamo \u1100\u1161\u11a8 vs \uac01, "
     "Vietnamese Tie\u0302\u0301ng Vie\u0323\u0302t."),
    ("precomposed_accents", "Café crème brûlée, naïve résumé, Ångström, Señor, Tiếng Việt."),
    ("special_tokens_inline",
     "Hello<|im_start|>user\nHi there<|im_end|>\n<|endoftext|> <think>Let me think.</think> "
     "done<|im_start|>assistant\n<tool_call>{\"x\": 1}</tool_call><|fim_prefix|>a<|fim_suffix|>"),
    ("special_tokens_adjacent", "<|im_start|><|im_start|><|im_end|><think></think><think>\n\n</think>\n\n"),
    ("special_tokens_partial", "<|im_start| <|im_end <think >< think> <thinking> </think <|endoftext|"),
    ("markdown_json",
     "## Results\n\n| model | tok/s |\n|---|---:|\n| 8B | 123.4 |\n\n```json\n"
     "{\"name\": \"Qwen3\", \"layers\": [1, 2, 3], \"ok\": true, \"nested\": {\"k\": null}}\n```\n"
     "See https://example.com/path?q=1&lang=en#frag and mailto:someone@example.org."),
    ("other_scripts",
     "Русский текст, Ελληνικά, العربية نص, עברית, ภาษาไทย, हिन्दी भाषा, ქართული, Հայերեն, "
     "Tiếng Việt, Türkçe İıŞş."),
    ("unicode_spaces",
     "a\u00a0b\u2009c\u3000d\u200be\u2028f\u2029g\u0085h\u202fi\u205fj\u1680k\u180el"),
    ("control_chars", "nul\x00soh\x01bel\x07del\x7fesc\x1b[0m\x0bvt\x0cff"),
    ("repeated_chars",
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa !!!!!!!!!!!!!!!!!!!! ==================== "
     "--------------------------------------------- ...... ________ \t\t\t\t\t\t"),
    ("case_folding_edges", "'S 'T 'RE 'VE 'M 'LL 'D 'ſ 'K 'ǅ x'ſt"),
    ("punct_newlines", "end.\n\nNext!!\r\n\r\n?? ...\n  ,,\n"),
    ("long_runs", " " * 3000 + "x" + "\n" * 200 + "y" + "a" * 2000 + "\t" * 100 + "1" * 300),
    ("late_combining_marks",
     "x\u0301\u0d3c y\u0d3b\u0338\u0329 z\u0328\u09fe\u0362\u09fe \u0d2a\u0d3c\u0d4d a\u1df6\u0316\u0301 "
     "q\u0345\u08d3\u0334"),
    ("math_symbols", "∀x∈ℝ: x² ≥ 0; ∑ᵢ aᵢ ≤ ∞ → ∫₀¹ f(x) dx ≈ π/4 ⊕ ⊗ ≠ ≡"),
    ("random_unicode_1", random_unicode_text(1, 300)),
    ("random_unicode_2", random_unicode_text(2, 600)),
    ("random_unicode_3", random_unicode_text(3, 1000)),
]

# Texts encoded a second time with encode_special_tokens=True (special tokens are then split
# like ordinary text; non-special added tokens such as <think> still match).
SPLIT_SPECIAL_NAMES = ["special_tokens_inline", "special_tokens_adjacent"]

TOOL_WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city — returns °C.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}

CHATS = [
    {
        "name": "system_user_generation",
        "messages": [
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": "Give me a short introduction to large language models."},
        ],
        "add_generation_prompt": True,
        "enable_thinking": None,  # template default: thinking allowed, nothing added
    },
    {
        "name": "user_no_thinking",
        "messages": [{"role": "user", "content": "用中文解释一下FP8量化。🚀"}],
        "add_generation_prompt": True,
        "enable_thinking": False,
    },
    {
        "name": "user_thinking_explicit",
        "messages": [{"role": "user", "content": "What is 2+2?"}],
        "add_generation_prompt": True,
        "enable_thinking": True,
    },
    {
        "name": "multi_turn_history_with_reasoning",
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Hi!"},
            {"role": "assistant", "content": "<think>\nThe user greets me.\n</think>\n\nHello! How can I help?"},
            {"role": "user", "content": "Count to three.\n"},
            {"role": "assistant", "content": "One, two, three."},
            {"role": "user", "content": "Now backwards."},
        ],
        "add_generation_prompt": True,
        "enable_thinking": False,
    },
    {
        "name": "ends_with_assistant_reasoning_field",
        "messages": [
            {"role": "user", "content": "Why is the sky blue?"},
            {"role": "assistant", "content": "\nRayleigh scattering.",
             "reasoning_content": "\nShort wavelengths scatter more.\n\n"},
        ],
        "add_generation_prompt": False,
        "enable_thinking": None,
    },
    {
        "name": "tools_and_tool_calls",
        "tools": [TOOL_WEATHER],
        "messages": [
            {"role": "system", "content": "You can call tools."},
            {"role": "user", "content": "Weather in Paris and Tokyo?"},
            {"role": "assistant", "content": "Let me check.", "tool_calls": [
                {"type": "function", "function": {"name": "get_weather", "arguments": "{\"city\": \"Paris\"}"}},
                {"type": "function", "function": {"name": "get_weather", "arguments": "{\"city\": \"Tokyo\"}"}},
            ]},
            {"role": "tool", "content": "{\"temp_c\": 18}"},
            {"role": "tool", "content": "{\"temp_c\": 24}"},
            {"role": "assistant", "content": "<think>\nBoth are mild.\n</think>\n\nParis 18°C, Tokyo 24°C."},
        ],
        "add_generation_prompt": False,
        "enable_thinking": None,
    },
    {
        "name": "system_in_middle",
        "messages": [
            {"role": "user", "content": "first"},
            {"role": "system", "content": "late system note"},
            {"role": "user", "content": "second"},
        ],
        "add_generation_prompt": True,
        "enable_thinking": False,
    },
]


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def encode_entries(tok: Tokenizer, corpus):
    out = []
    for name, text in corpus:
        ids = tok.encode(text, add_special_tokens=False).ids
        out.append({
            "name": name,
            "text": text,
            # HF's own NFC (what decode(encode(text)) must give back). It differs from
            # unicodedata.normalize("NFC") only for marks newer than HF's Unicode data.
            "nfc": tok.normalizer.normalize_str(text) if tok.normalizer else text,
            "ids": ids,
            "decoded": tok.decode(ids, skip_special_tokens=False),
            "decoded_skip_special": tok.decode(ids, skip_special_tokens=True),
        })
    return out


def render_chats(tokenizer_dir: str, tok: Tokenizer):
    import transformers  # heavy import, only needed here
    from transformers import AutoTokenizer

    hf = AutoTokenizer.from_pretrained(tokenizer_dir)
    out = []
    for chat in CHATS:
        kwargs = {"tokenize": False, "add_generation_prompt": chat["add_generation_prompt"]}
        if chat["enable_thinking"] is not None:
            kwargs["enable_thinking"] = chat["enable_thinking"]
        if "tools" in chat:
            kwargs["tools"] = chat["tools"]
        text = hf.apply_chat_template(chat["messages"], **kwargs)
        entry = {
            "name": chat["name"],
            "messages": chat["messages"],
            # The C++ template takes each tool already serialized; this is what Jinja's `tojson`
            # (transformers: json.dumps with ensure_ascii=False) prints for it.
            "tools_json": [json.dumps(t, ensure_ascii=False) for t in chat.get("tools", [])],
            "add_generation_prompt": chat["add_generation_prompt"],
            "enable_thinking": chat["enable_thinking"],
            "text": text,
            "ids": tok.encode(text, add_special_tokens=False).ids,
        }
        out.append(entry)
    return out, transformers.__version__


def build_flags_tokenizer() -> Tokenizer:
    """Small byte-level BPE with the Qwen2 pipeline and added tokens that use every flag."""
    qwen_split = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                  r"|\s*[\r\n]+|\s+(?!\S)|\s+")
    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(qwen_split), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=700, min_frequency=2, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    training_text = [text for _, text in CORPUS] * 3
    tok.train_from_iterator(training_text, trainer=trainer)
    tok.add_special_tokens([
        AddedToken("<|endoftext|>", special=True, normalized=False),
        AddedToken("<mask>", lstrip=True, special=True, normalized=False),
        AddedToken("[SEP]", rstrip=True, special=True, normalized=False),
        AddedToken("<both>", lstrip=True, rstrip=True, special=True, normalized=False),
    ])
    tok.add_tokens([
        AddedToken("hello", single_word=True, normalized=False, special=False),
        AddedToken("_x9", single_word=True, normalized=False, special=False),
        AddedToken("café", normalized=True, special=False),          # matched after NFC
        AddedToken("re\u0301sume\u0301", normalized=True, special=False),  # stored decomposed
        AddedToken("<think>", normalized=False, special=False),
        AddedToken("<thinking>", normalized=False, special=False),    # leftmost-longest vs <think>
    ])
    return tok


FLAGS_CORPUS = [
    ("lstrip", "I saw a   <mask> here and <mask>\t<mask>"),
    ("rstrip", "one[SEP]   two [SEP]\n\nthree[SEP]"),
    ("both", "x  <both>  y<both><both>   z"),
    ("single_word", "hello world, sayhello, hello_, hello!, (hello) hello1 héllo hello"),
    ("single_word_underscore", "_x9 a_x9 _x9b _x9. 4_x9"),
    ("normalized_tokens", "Cafe\u0301 au lait at the café; re\u0301sume\u0301 and résumé"),
    ("longest_match", "<think> <thinking> <thinkin <think>ing"),
    ("special_plain", "a<|endoftext|>b <|endoftext|> c"),
    ("unicode_strip", "a\u3000<mask>\u00a0[SEP]\u2009b"),
    ("mixed", "Hello hello  <mask>[SEP]  <both>\n" + PYTHON_CODE[:80]),
]


def hf_nfc_marks():
    """Code points HF's NFC decomposes, or reorders against other marks (ccc != 0)."""
    nfc = normalizers.NFC()
    sep = "\u0001"  # a starter that never composes; normalize many strings in one call

    def batch(strs):
        out = nfc.normalize_str(sep.join(strs) + sep).split(sep)[:-1]
        assert len(out) == len(strs)
        return out

    cps = [c for c in range(0x110000) if c != 1 and not 0xD800 <= c <= 0xDFFF]
    marks = []
    step = 20000
    for i in range(0, len(cps), step):
        chunk = cps[i:i + step]
        alone = batch([chr(c) for c in chunk])
        # U+0334 has class 1 and U+0345 class 240: a mark of any other nonzero class is
        # reordered against one of them.
        after_low = batch([chr(c) + "\u0334" for c in chunk])
        before_high = batch(["\u0345" + chr(c) for c in chunk])
        for c, a, x, y in zip(chunk, alone, after_low, before_high):
            if a != chr(c) or x != a + "\u0334" or y != "\u0345" + a:
                marks.append(c)
    return marks


def write_combining_table(path: str, marks) -> None:
    ranges = []
    for c in marks:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    with open(path, "w", encoding="utf-8") as f:
        f.write("// Generated by tools/make_tokenizer_fixtures.py from Hugging Face tokenizers "
                f"{tokenizers.__version__}: do not edit.\n")
        f.write("// Code points its NFC normalizer decomposes or treats as combining (class != 0),\n"
                f"// as inclusive ranges: {len(marks)} code points.\n")
        for lo, hi in ranges:
            f.write(f"{{0x{lo:05X}, 0x{hi:05X}}},\n")


def write_json(path: str, obj: dict) -> None:
    """One line per corpus entry: small, and a changed entry is a one-line diff."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("{\n")
        for k, (key, value) in enumerate(obj.items()):
            f.write(f" {json.dumps(key)}: ")
            if isinstance(value, list):
                f.write("[\n")
                f.write(",\n".join("  " + json.dumps(v, ensure_ascii=False) for v in value))
                f.write("\n ]")
            else:
                f.write(json.dumps(value, ensure_ascii=False))
            f.write(",\n" if k + 1 < len(obj) else "\n")
        f.write("}\n")


def main():
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tokenizer-dir", default=os.path.join(repo, "..", "shared", "qwen3-tokenizer"))
    ap.add_argument("--out-dir", default=os.path.join(repo, "tests", "tokenizer", "fixtures"))
    ap.add_argument("--table", default=os.path.join(repo, "src", "engine", "tokenizer",
                                                    "hf_nfc_marks.inc"))
    args = ap.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    write_combining_table(args.table, hf_nfc_marks())

    tok_path = os.path.join(args.tokenizer_dir, "tokenizer.json")
    tok = Tokenizer.from_file(tok_path)
    golden = {
        "generator": {
            "script": "tools/make_tokenizer_fixtures.py",
            "tokenizers": tokenizers.__version__,
            "tokenizer_json_sha256": sha256_file(tok_path),
        },
        "encode": encode_entries(tok, CORPUS),
    }
    # Many short random strings, ids only (one test reports how many differ).
    golden["encode_random"] = [
        {"text": text, "ids": tok.encode(text, add_special_tokens=False).ids}
        for _, text in random_fuzz_texts(seed=2024, count=200)
    ]
    by_name = dict(CORPUS)
    tok.encode_special_tokens = True
    golden["encode_split_special"] = [
        {"name": n, "text": by_name[n], "ids": tok.encode(by_name[n], add_special_tokens=False).ids}
        for n in SPLIT_SPECIAL_NAMES
    ]
    tok.encode_special_tokens = False
    golden["chat"], golden["generator"]["transformers"] = render_chats(args.tokenizer_dir, tok)

    write_json(os.path.join(args.out_dir, "qwen3_golden.json"), golden)

    flags = build_flags_tokenizer()
    flags_path = os.path.join(args.out_dir, "flags_tokenizer.json")
    flags.save(flags_path, pretty=False)
    flags = Tokenizer.from_file(flags_path)  # encode with exactly what was saved
    flags_golden = {
        "generator": {"script": "tools/make_tokenizer_fixtures.py", "tokenizers": tokenizers.__version__},
        "encode": encode_entries(flags, FLAGS_CORPUS + CORPUS[1:12]),
    }
    write_json(os.path.join(args.out_dir, "flags_golden.json"), flags_golden)
    n_enc = len(golden["encode"]) + len(golden["encode_split_special"])
    print(f"wrote {n_enc} Qwen3 encodes, {len(golden['encode_random'])} random strings, "
          f"{len(golden['chat'])} chats, "
          f"{len(flags_golden['encode'])} flag-tokenizer encodes to {args.out_dir}")


if __name__ == "__main__":
    main()
