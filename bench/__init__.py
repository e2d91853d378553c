"""hutch's benchmark suite: hutch and the peers users would otherwise pick, side by side in one run.

``python -m bench`` (``make bench``) runs every workload; ``--quick`` is the two-minute pass. See README.md.
"""
