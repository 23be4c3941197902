"""Command line shared by the plot scripts: result files in, one PNG beside each (or --out)."""
import argparse
import glob
import os
import sys


def run(description, default_glob, plot, what):
    """Parses argv and calls plot(json_path, png_path) for each result file.

    default_glob: the files to plot when none are given; what: their name in messages.
    """
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", help=f"{what} JSON files (default: {default_glob})")
    parser.add_argument("--out", "-o", help="PNG path (one input file only; default: the JSON's path with .png)")
    args = parser.parse_args()
    files = args.files or sorted(glob.glob(default_glob))
    if not files:
        sys.exit(f"no {what} files given and none match {default_glob}")
    if args.out and len(files) != 1:
        sys.exit("--out needs exactly one input file")
    missing = [path for path in files if not os.path.isfile(path)]
    if missing:
        sys.exit(f"no such file: {', '.join(missing)}")
    for path in files:
        plot(path, args.out or os.path.splitext(path)[0] + ".png")
