"""Import and query benchmarks of DiploPulse on generated data (`python -m bench`).

- `__main__`: the command line; runs every phase of every scale in its own subprocess, so that
  each phase's peak memory is its own, and writes `results.json` and `results.md`;
- `worker`: the phases (generate, import, replicate, query), one per subprocess;
- `pages`: the reads each dashboard page makes on a render with default filters;
- `report`: the Markdown tables of the results.

What is measured and how to run it: `bench/README.md`; the numbers: `BENCHMARKS.md`.
"""
