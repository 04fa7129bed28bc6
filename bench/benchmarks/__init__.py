"""One module per benchmark. `bench/run.py` imports every module here that defines `BENCHMARK`
(a `bench.core.Benchmark`) and runs them in `order`. To add one (imports of 100,000 rows,
sampling, ...), drop a module here; see home.py for an HTTP benchmark."""
