"""How fast the adoption engine simulates and summarises, and how much memory it needs.

Prints, measured in this one run:

* the time to simulate 10,000 paths x 17 groups x 60 months with the adoption engine and
  summarise them (cumulative and monthly fans, target-month distribution, deadline odds),
  as a ratio to drawing the same number of negative-binomial variates with plain numpy
  (goal: at most 2x);
* the peak memory (max RSS of a fresh process) of the same run with 100,000 paths
  (goal: under 2 GB).

Run: ``.venv/bin/python benchmarks/simulate_speed.py``
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
import warnings

import numpy as np

from wgsforecast.engines.adoption import AdoptionEngine
from wgsforecast.exceptions import PriorFallbackWarning
from wgsforecast.prognosis import Prognosis
from wgsforecast.simulate import simulate_programme

N_GROUPS, HORIZON = 17, 60
REPEATS = 3


def fitted_engine() -> AdoptionEngine:
    """The adoption engine fitted to a 17-group simulated programme, 60-month horizon."""
    sim = simulate_programme(seed=0, n_groups=N_GROUPS, horizon=HORIZON)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PriorFallbackWarning)
        return AdoptionEngine().fit(sim.actuals, sim.groups, sim.assumptions)


def simulate_and_summarise(engine: AdoptionEngine, n_paths: int) -> Prognosis:
    """One full run: paths, then the summaries users see."""
    prognosis = engine.forecast(n_paths=n_paths, seed=1, progress=False)
    prognosis.fan("cumulative")
    prognosis.fan("monthly")
    prognosis.target_distribution()
    prognosis.target_month_quantiles()
    prognosis.p_target_by_deadline()
    return prognosis


def _timed(function: object, *args: object) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        function(*args)  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def peak_memory_mb(n_paths: int) -> float:
    """Max RSS of a fresh process doing one run with ``n_paths`` paths, in MB."""
    code = (
        "import json, resource, sys\n"
        "sys.path.insert(0, 'benchmarks')\n"
        "from simulate_speed import fitted_engine, simulate_and_summarise\n"
        f"simulate_and_summarise(fitted_engine(), {n_paths})\n"
        "print(json.dumps(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    kilobytes = json.loads(result.stdout.strip().splitlines()[-1])
    return float(kilobytes) / 1024  # Linux reports ru_maxrss in kB


def main() -> None:
    """Measure and print."""
    engine = fitted_engine()
    n_paths = 10_000
    n_variates = n_paths * N_GROUPS * HORIZON
    simulate_and_summarise(engine, 200)  # warm imports and caches

    ours = _timed(simulate_and_summarise, engine, n_paths)
    rng = np.random.default_rng(1)
    scalar = _timed(rng.negative_binomial, 40.0, 0.2, n_variates)
    # The same expected values as the engine's, as numpy's array-parameter form.
    expected = engine._expected(n_paths, np.random.default_rng(1), False).ge
    sizes = np.broadcast_to(engine.size_[None, :, None], expected.shape)
    probabilities = sizes / (sizes + np.maximum(expected, 1e-9))
    array = _timed(rng.negative_binomial, sizes, probabilities)

    print(f"simulate {n_paths:,} paths x {N_GROUPS} groups x {HORIZON} months + summarise")
    print(f"  adoption engine, forecast + fans + target distribution: {ours:6.2f} s")
    print(f"  numpy negative_binomial, {n_variates:,} variates, scalar n, p:  {scalar:6.2f} s")
    print(f"  numpy negative_binomial, same variates, per-cell n, p:  {array:6.2f} s")
    print(f"  ratio to scalar numpy: {ours / scalar:.2f}x  (goal <= 2x)")
    print(f"  ratio to per-cell numpy: {ours / array:.2f}x")
    print(
        f"  (median of {REPEATS}; max RSS of this process so far: "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)"
    )
    memory = peak_memory_mb(100_000)
    print(f"peak memory, 100,000 paths (fresh process, max RSS): {memory:,.0f} MB (goal < 2,048)")


if __name__ == "__main__":
    main()
