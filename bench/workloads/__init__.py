"""One module per workload family; each exposes ``run(bench)`` and records Measurements on bench.run."""
