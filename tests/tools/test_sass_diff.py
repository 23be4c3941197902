"""tools/sass_diff.py on two hand-written `cuobjdump -sass` dumps (tests/fixtures/sass): the
sm_89 copy of kernA changed and its sm_90a copy did not, kernB gained an instruction, kernC is
new. Usage: python3 test_sass_diff.py <repo root>."""
import subprocess
import sys

root = sys.argv[1]
tool = f"{root}/tools/sass_diff.py"
old, new = f"{root}/tests/fixtures/sass/old.txt", f"{root}/tests/fixtures/sass/new.txt"


def run(*args):
    p = subprocess.run([sys.executable, tool, *args], capture_output=True, text=True)
    return p.returncode, p.stdout.splitlines()


def check(condition, what):
    if not condition:
        sys.exit("FAILED: " + what)


rc, lines = run(old, new)
check(rc == 1, f"exit status 1 where kernels differ, got {rc}")
check(lines == ["DIFF      3      3 sm_89 kernA", "SAME      3      3 sm_90a kernA", "DIFF      4      5 sm_90a kernB",
                "ONLY-NEW sm_90a kernC"], "per-kernel verdicts, one per architecture:\n" + "\n".join(lines))

rc, lines = run(old, old)
check(rc == 0 and all(line.startswith("SAME") for line in lines) and len(lines) == 3, "a dump against itself")

rc, lines = run(old, new, "--kernel", "kernB")
check("-@!P0 BRA 0x30" in lines and "+IADD3 R2, R2, 0x1, RZ" in lines, "--kernel shows the differing instructions")
check(not any(line.startswith("+MOV R2, 0x3") for line in lines), "--kernel shows only the kernels it names")
print("ok")
