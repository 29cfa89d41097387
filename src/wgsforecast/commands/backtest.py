"""``wgsforecast backtest``: score the engines at past quarter ends against what followed."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from wgsforecast._text import Text
from wgsforecast.commands._csv_tables import backtest_scores, backtest_summary, write_csv
from wgsforecast.commands._options import (
    add_data_options,
    add_output_options,
    add_simulation_options,
    check_run_options,
    load_data,
)
from wgsforecast.periods import Lang

KEY_METRICS = (
    "abs_pct_error",
    "crps_pct",
    "cover80",
    "cover95",
    "target_month_error",
    "brier_deadline",
)
"""The scores shown on screen and in the Markdown summary (the CSV has them all)."""
WROTE = Text(da="skrev {path}", en="wrote {path}")


def add_parser(subparsers: Any) -> None:
    """Register the ``backtest`` subcommand."""
    parser = subparsers.add_parser(
        "backtest",
        help="refit the engines at past quarter ends and score them against what followed",
        description=(
            "Rolling-origin backtest: at every quarter end with enough history, refit each "
            "engine on the data known then and score its forecast of the cumulative total "
            "(error, CRPS, interval coverage) against the actuals that followed. Writes "
            "backtest_scores.csv, backtest_summary.csv, backtest_summary.md and backtest.png "
            "into --out (default out/backtest). Defaults to the bundled (partly "
            "reconstructed) data."
        ),
    )
    # No --as-of: all actuals are read, as the months after each origin are the truth.
    add_data_options(parser)
    parser.add_argument(
        "--engines",
        nargs="+",
        metavar="ENGINE",
        help="engines to score (default: runrate, adoption, ets and flat, where available)",
    )
    parser.add_argument(
        "--origins", nargs="+", metavar="MONTH", help="origins, e.g. 2022-03 (default: quarters)"
    )
    parser.add_argument("--horizon", type=int, default=36, help="months projected (36)")
    add_simulation_options(parser, paths=500, seed=0, paths_help="sample paths per fit")
    add_output_options(parser, out="out/backtest")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the backtest, write its files atomically and print the summary."""
    from wgsforecast.backtesting import DEFAULT_ENGINES, backtest
    from wgsforecast.engines import ENGINES

    check_run_options(args, out=args.out)
    engines = args.engines or [name for name in DEFAULT_ENGINES if name in ENGINES]
    data = load_data(args)
    result = backtest(
        data.actuals,
        data.groups,
        data.assumptions,
        engines=engines,
        origins=args.origins,
        horizon=args.horizon,
        n_paths=args.paths,
        seed=args.seed,
    )
    written = _write(result, args.out, args.lang)
    print(result.to_markdown(metrics=KEY_METRICS, leads=(3, 12), lang=args.lang))
    for path in written:
        print(WROTE(args.lang, path=path))
    return 0


def _write(result: Any, out: Path, lang: Lang) -> list[Path]:
    from wgsforecast.io import atomic_write_text
    from wgsforecast.plotting import pyplot, save_figure

    paths = [
        write_csv(out / "backtest_scores.csv", backtest_scores(result, lang), lang),
        write_csv(out / "backtest_summary.csv", backtest_summary(result, lang), lang),
        atomic_write_text(
            out / "backtest_summary.md", result.to_markdown(metrics=KEY_METRICS, lang=lang)
        ),
    ]
    figure = result.plot(lang=lang).figure
    paths += save_figure(figure, out / "backtest", formats=("png",), dpi=120)
    pyplot().close(figure)
    return paths
