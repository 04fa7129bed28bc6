"""`make bench`: load benchmarks against a production-like server (see docs/performance.md)."""
