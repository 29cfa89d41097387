"""Hypothesis strategies: small random programmes (groups, actuals, assumptions)."""

from __future__ import annotations

import pandas as pd
from hypothesis import strategies as st

import wgsforecast as wf

AS_OF = pd.Period("2023-02", "M")


@st.composite
def programmes(draw: st.DrawFn, max_groups: int = 5) -> wf.ProgrammeData:
    """A registry of 1-5 groups, their actuals up to 2023-02, and assumptions."""
    n_groups = draw(st.integers(1, max_groups))
    groups, rows = [], []
    for index in range(n_groups):
        history = draw(st.integers(0, 24))  # 0 = not live yet
        go_live = AS_OF - history + 1 if history else AS_OF + draw(st.integers(1, 18))
        ramp_start = draw(st.none() | st.integers(1, 30).map(lambda k: str(AS_OF + k)))
        groups.append(
            wf.PatientGroup(
                key=f"g{index}",
                name_da=f"Gruppe {index}",
                name_en=f"Group {index}",
                kind=draw(st.sampled_from(["germline", "cancer"])),
                declared_per_year=draw(st.floats(12, 20_000)),
                go_live=go_live,
                status="live" if history else "planned",
                cap_share=draw(st.floats(0.05, 1.0)),
                ramp=wf.Ramp(
                    target_share=draw(st.floats(0.05, 1.0)),
                    months=draw(st.integers(0, 36)),
                    start=ramp_start,
                ),
            )
        )
        counts = draw(st.lists(st.integers(0, 3_000), min_size=history, max_size=history))
        rows += [(f"g{index}", go_live + k, c) for k, c in enumerate(counts)]
    if not rows:  # a programme needs at least one month of data somewhere
        rows.append(("g0", AS_OF, 0))
        groups[0] = groups[0].model_copy(update={"go_live": AS_OF, "status": "live"})
    actuals = pd.DataFrame(rows, columns=["group", "month", "ge"])
    actuals["month"] = pd.PeriodIndex(actuals["month"], freq="M")
    actuals["ge"] = actuals["ge"].astype("int64")
    horizon = draw(st.integers(1, 48))
    assumptions = wf.Assumptions(as_of=AS_OF, horizon_months=horizon)
    return wf.ProgrammeData(actuals, wf.GroupRegistry(groups), assumptions)
