#!/usr/bin/env python3
"""Which kernels' machine code differs between two builds.

A kernel change can reschedule instances it does not touch: a runtime value read in one branch
of the sm90 kernel changed the SASS of every instance that compiles that branch, and the large
tiles ran 0.7-2.7% slower (docs/gemm-rounds.md, round after e8b021f). Before timing a change,
list the instances whose code changed; an A/B then has to time the rows that run them.

  python3 tools/sass_diff.py OLD NEW [--kernel SUBSTRING]

OLD and NEW are executables, object files or cubins (disassembled with `cuobjdump -sass`,
$CUOBJDUMP or the one on PATH), or text files that `cuobjdump -sass` wrote. Per kernel it prints
SAME or DIFF with both instruction counts. cuobjdump prints each kernel's offsets, branch
targets included, from the kernel's start, so a kernel that only moved in the file reads SAME.
With --kernel, the instructions that differ in the kernels whose mangled name contains
SUBSTRING are shown as a unified diff.
Exit status: 0 when every kernel present in both is the same, 1 otherwise.
"""
import argparse
import difflib
import os
import re
import subprocess
import sys

ARCH = re.compile(r"^arch = (\S+)")  # each embedded cubin's header
FUNCTION = re.compile(r"^\s*Function : (\S+)")
# "/*0a30*/   @!P0 BRA 0x590 ;  /* 0x... */": the offset, then the instruction up to its ';'.
INSTRUCTION = re.compile(r"/\*([0-9a-f]{4,})\*/\s+(.*?)\s*;")


def sass_text(path):
    with open(path, "rb") as f:
        head = f.read(4)
    if head != b"\x7fELF":
        with open(path) as f:
            return f.read()
    tool = os.environ.get("CUOBJDUMP", "cuobjdump")
    return subprocess.run([tool, "-sass", path], check=True, capture_output=True, text=True).stdout


def kernels(text):
    """(arch, mangled kernel name) -> its instructions, whitespace normalized. One binary holds
    a kernel once per architecture it was built for; a lone cubin's dump names no arch ("")."""
    out, arch, name = {}, "", None
    for line in text.splitlines():
        m = ARCH.match(line)
        if m:
            arch = m.group(1)
            continue
        m = FUNCTION.match(line)
        if m:
            name = (arch, m.group(1))
            out[name] = []
        elif name is not None:
            m = INSTRUCTION.search(line)
            if m:
                out[name].append(" ".join(m.group(2).split()))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--kernel", help="show the differing instructions of kernels whose name contains this")
    args = parser.parse_args()
    old, new = kernels(sass_text(args.old)), kernels(sass_text(args.new))
    if not old or not new:
        sys.exit("no kernels found in " + (args.old if not old else args.new))
    # A lone cubin against a binary or object: match by name where that is unambiguous.
    if any(a for a, _ in old) != any(a for a, _ in new):
        with_arch = old if any(a for a, _ in old) else new
        if len({n for _, n in with_arch}) != len(with_arch):
            sys.exit("one side names no architecture and the other holds a kernel for several: compare like with like")
        old, new = ({("", n): v for (_, n), v in side.items()} for side in (old, new))
    differ = False
    for key in sorted(set(old) | set(new)):
        label = " ".join(part for part in key if part)
        if key not in old or key not in new:
            print(f"ONLY-{'NEW' if key in new else 'OLD'} {label}")
            continue
        same = old[key] == new[key]
        differ |= not same
        print(f"{'SAME' if same else 'DIFF'} {len(old[key]):6d} {len(new[key]):6d} {label}")
        if args.kernel and args.kernel in key[1] and not same:
            diff = difflib.unified_diff(old[key], new[key], "old", "new", n=1, lineterm="")
            sys.stdout.writelines(line + "\n" for line in diff)
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
