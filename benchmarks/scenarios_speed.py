"""Speed benchmark: every shipped scenario on the bundled data with 10,000 paths (goal < 10 s).

Run from the repository root::

    .venv/bin/python benchmarks/scenarios_speed.py                 # adoption, 10,000 paths
    .venv/bin/python benchmarks/scenarios_speed.py --workers 1 2   # serial and two processes

It times :func:`wgsforecast.scenarios.compare_scenarios` on the baseline plus every file in
``data/scenarios/`` (the same call as ``wgsforecast scenarios data/scenarios/*.toml``),
after one untimed warm-up run that loads the libraries. It prints wall-clock seconds, the
CPU seconds of this process (children excluded) and the machine's load average, because the
wall-clock time on a shared machine says as much about the neighbours as about the code; it
also times one engine fit and one 10,000-path forecast, the two parts a scenario run costs.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import warnings

import wgsforecast as wf
from wgsforecast.engines import ENGINES
from wgsforecast.scenarios import bundled_scenario_paths, compare_scenarios, read_scenarios

GOAL_SECONDS = 10.0


def main() -> int:
    """Time the shipped scenarios; print one line per worker count."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="adoption" if "adoption" in ENGINES else "runrate")
    parser.add_argument("--paths", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per setting (best kept)")
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # prior-fallback warnings are expected on the bundled data

    data = wf.load_bundled()
    scenarios = read_scenarios(bundled_scenario_paths())
    print(
        f"wgsforecast {wf.__version__}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs; engine {args.engine}, {args.paths:,} paths, "
        f"{len(scenarios)} scenarios + baseline"
    )
    compare_scenarios(data, scenarios[:1], args.engine, n_paths=100, seed=args.seed, workers=1)

    engine = ENGINES[args.engine]
    start = time.perf_counter()
    fitted = engine().fit(data.actuals, data.groups, data.assumptions)
    fit_seconds = time.perf_counter() - start
    start = time.perf_counter()
    fitted.forecast(n_paths=args.paths, seed=args.seed, progress=False)
    forecast_seconds = time.perf_counter() - start
    print(
        f"one fit: {fit_seconds:.2f} s; one forecast ({args.paths:,} paths): "
        f"{forecast_seconds:.2f} s"
    )

    for workers in args.workers:
        best_wall = best_cpu = float("inf")
        for _ in range(args.repeat):
            load = os.getloadavg()[0]
            wall, cpu = time.perf_counter(), time.process_time()
            compare_scenarios(
                data, scenarios, args.engine, n_paths=args.paths, seed=args.seed, workers=workers
            )
            best_wall = min(best_wall, time.perf_counter() - wall)
            best_cpu = min(best_cpu, time.process_time() - cpu)
        verdict = "within" if best_wall < GOAL_SECONDS else "OVER"
        print(
            f"workers={workers}: {best_wall:.2f} s wall ({verdict} the {GOAL_SECONDS:.0f} s "
            f"goal), {best_cpu:.2f} s CPU in this process, load average before {load:.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
