"""benchmarking layer."""
