"""Rebuild the shipped model from its public sources, in one command (about 20 minutes on 2 cores).

    python -m training.rebuild [--dry-run] [--skip-resources] [--final-fit] [--build-dir build]
                               [--out models/spindetect-default]

Runs, in order, each step as its own `python -m` process from the repository root (any failure stops the
rebuild with that step's exit code):

1. the resource compilers: the reference English (`english.npz`, needs `pip install .[resources]`), the
   syllable table, the reference word pairs, the style lexicons and the language model's int8 smoothing
   factors (these three read ../shared/corpora);
2. the held-out corpus and the held-out fit (whole generator families, residue, a WMT22 pair and MT
   systems left out; writes the held-out table). This fit is the shipped model, so its held-out table is
   its own;
3. the per-generator evaluation of the shipped model on the test split; the language model's translation
   probe for the int8 model scoring uses (`spindetect/resources/lm/translation_probe.int8.json`; the
   float32 one of `lm@3` is kept as it was) and the deep stage beside the fast model;
4. with `--final-fit`, also the all-families corpus and fit, into the build directory only. It is not
   shipped: refitted on every family (the held-out template families' chrome included), it scored
   calibration-split real pages as copies at 0.99, so its copy threshold could not drop below 0.995 and
   it caught a third of the farm residue the held-out fit catches.

`--dry-run` prints the commands and runs nothing. Everything but the model lands in the git-ignored
build directory; see data/README.md for what each step derives from.
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

RESOURCE_STEPS = (
    ("training.compile_resources",),
    ("training.compile_syllables",),
    ("training.compile_reference",),
    ("training.learn_style_lexicons",),
    # The language model's int8 smoothing factors (BBC train split), which its int8 readings depend on.
    ("training.calibrate_lm",),
)


def steps(build: Path, out: Path, *, resources: bool = True, final_fit: bool = False) -> list[tuple[str, ...]]:
    """The rebuild's commands (module and arguments, without the interpreter), in order."""
    holdout, final, heldout = build / "holdout.jsonl", build / "final.jsonl", build / "heldout.json"
    model_steps = [
        ("training.build_corpus", "--out", str(holdout)),
        ("training.train_default", "--corpus", str(holdout), "--out", str(out), "--write-heldout", str(heldout)),
        ("training.evaluate", "--corpus", str(holdout), "--model", str(out)),
        # The language model's translation probe (a package resource the deep stage's features read),
        # fitted on the held-out build's train split.
        ("training.fit_translation_probe", "--corpus", str(holdout), "--precision", "int8", "--cache",
         str(build / "translation_probe_states.int8.npz")),
        # The deep stage, fitted beside the fast model just written (it names that model's booster).
        ("training.train_deep", "--corpus", str(holdout), "--fast", str(out), "--write-report",
         str(build / "deep.json")),
    ]
    if final_fit:
        model_steps += [
            ("training.build_corpus", "--out", str(final), "--all-families"),
            ("training.train_default", "--corpus", str(final), "--out", str(build / "final-model"),
             "--heldout-from", str(heldout)),
        ]
    return [*(RESOURCE_STEPS if resources else ()), *model_steps]


def command(step: tuple[str, ...]) -> list[str]:
    return [sys.executable, "-m", *step]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-dir", type=Path, default=Path("build"))
    parser.add_argument("--out", type=Path, default=Path("models") / "spindetect-default")
    parser.add_argument("--skip-resources", action="store_true",
                        help="Keep the committed resource tables; rebuild only corpora and models.")
    parser.add_argument("--final-fit", action="store_true",
                        help="Also fit on every generator family, into the build directory (not shipped).")
    parser.add_argument("--dry-run", action="store_true", help="Print the commands; run nothing.")
    args = parser.parse_args(argv)
    resources = not args.skip_resources
    if args.dry_run:
        for step in steps(args.build_dir, args.out, resources=resources, final_fit=args.final_fit):
            print(shlex.join(["python", "-m", *step]))
        return 0
    # The steps run from the repository root (so that `training` imports); paths given relative to the
    # caller's directory are resolved first.
    plan = steps(args.build_dir.resolve(), args.out.resolve(), resources=resources, final_fit=args.final_fit)
    args.build_dir.mkdir(parents=True, exist_ok=True)
    for number, step in enumerate(plan, start=1):
        line = shlex.join(["python", "-m", *step])
        print(f"[{number}/{len(plan)}] {line}", file=sys.stderr, flush=True)
        code = subprocess.run(command(step), cwd=REPO).returncode
        if code != 0:
            print(f"rebuild: step {number} failed with exit code {code}: {line}", file=sys.stderr)
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
