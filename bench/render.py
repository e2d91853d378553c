"""Render a saved run again: ``python -m bench.render [RUN.json] [--before EARLIER.json]``.

Re-summarizes its profiles from the collapsed stacks kept beside it (so a change to profiling.summarize, such
as a newly recognized idle frame, reaches old runs), saves the JSON, and rewrites latest[-quick].md / .png.
With ``--before``, the markdown gets a before/after table of hutch's rows against that earlier run (for a fix
measured by two runs). Without a run, the newest full run.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench import report
from bench.profiling import read_raw, summarize
from bench.results import Run

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", nargs="?", type=Path)
    parser.add_argument("--before", type=Path, help="an earlier run to compare hutch's rows with")
    args = parser.parse_args()
    path = args.run or max(p for p in RESULTS.glob("*.json") if not p.stem.endswith("-quick"))
    run = Run.load(path)
    for prof in run.profiles:
        raw = RESULTS / prof.raw_path
        if not raw.exists() and (RESULTS / (prof.raw_path + ".gz")).exists():
            prof.raw_path += ".gz"
            raw = RESULTS / prof.raw_path
        if raw.exists():
            prof.samples, prof.idle_samples, prof.self_time, prof.total_time = summarize(read_raw(raw))
    run.save(path)
    suffix = "-quick" if run.quick else ""
    before = Run.load(args.before) if args.before else None
    (RESULTS / f"latest{suffix}.md").write_text(report.markdown(run, before))
    report.chart(run, RESULTS / f"latest{suffix}.png")
    print(f"rendered {path.name} into latest{suffix}.md and latest{suffix}.png")


if __name__ == "__main__":
    main()
