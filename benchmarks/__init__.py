"""newsnlp's benchmark harness: every stage scored against baselines in one run.

Run ``python -m benchmarks.run --data-dir ../shared/data`` from a checkout (or
``newsnlp bench``); ``--quick`` is the CI smoke test. See docs/benchmarks.md for the output.
"""
