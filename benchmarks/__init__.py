"""Benchmarks, run from the repository root as modules: `python -m benchmarks.run`, `python -m benchmarks.index_bench`, ..."""
