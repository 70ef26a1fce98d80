"""Performance harness: `make bench` (see docs/PERFORMANCE.md)."""
