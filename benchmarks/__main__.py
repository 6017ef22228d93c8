"""`make bench`: run every `benchmarks/bench_*.py` and print its figures (medians over several runs)."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import benchmarks

EXPLICIT = {"bench_scale"}  # twenty minutes: `make bench-scale`, or `python -m benchmarks scale`


def main(selected: list[str]) -> None:
    names = sorted(
        info.name for info in pkgutil.iter_modules(benchmarks.__path__) if info.name.startswith("bench_")
    )
    for name in names:
        if selected and not any(word in name for word in selected):
            continue
        if name in EXPLICIT and not selected:
            continue
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"\n== {module.__doc__.strip().splitlines()[0] if module.__doc__ else name}")
        module.main()


if __name__ == "__main__":
    main(sys.argv[1:])
