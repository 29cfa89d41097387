"""``wgsforecast vintages save|list|compare``: keep quarterly prognoses and score them later."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from wgsforecast.commands._options import (
    add_data_options,
    add_output_options,
    add_simulation_options,
    add_vintages_option,
    check_memory,
    check_out_is_folder,
    check_simulation_options,
    load_data,
)
from wgsforecast.exceptions import EXIT_USER_ERROR
from wgsforecast.labels import label
from wgsforecast.periods import format_number


def add_parser(subparsers: Any) -> None:
    """Register the ``vintages`` subcommand and its three actions."""
    parser = subparsers.add_parser(
        "vintages",
        help="save, list and compare prognosis vintages",
        description="Save a prognosis as an immutable vintage, list vintages, or score "
        "earlier vintages against later actuals.",
    )
    add_vintages_option(parser, "--vintages", "--root", dest="root")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    def action(name: str, summary: str, description: str) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = actions.add_parser(
            name, help=summary, description=description
        )
        # Also after the action ("vintages list --root X"); absent, it keeps the value
        # given before the action.
        add_vintages_option(sub, "--vintages", "--root", dest="root", default=argparse.SUPPRESS)
        return sub

    save = action(
        "save",
        "save a prognosis (refuses to overwrite)",
        "Forecast with the given data and engine and store the result as an immutable "
        "vintage under NAME. A name or content already in the store is refused.",
    )
    save.add_argument("name", help="vintage name, e.g. 2023-06 (letters, digits, '.', '_', '-')")
    add_data_options(save)
    add_simulation_options(
        save, paths=2000, seed=2023, engine="runrate", engine_help="engine (runrate)"
    )

    action(
        "list",
        "list the vintages",
        "List the vintages in the store (and the shipped March 2023 vintage) with their "
        "as-of month, engine, target month and content hash. A changed, deleted or "
        "renamed vintage is an error that names it.",
    )

    compare = action(
        "compare",
        "score vintages against actuals",
        "Score every earlier vintage against the actuals that followed it, and draw every "
        "vintage's curve over the actuals.",
    )
    add_data_options(compare, assumptions=False)
    add_output_options(compare, out="out/vintage-scores")

    action(
        "reindex",
        "rebuild the store's ledger.json after checking every vintage folder in it",
        "Rebuild the store's ledger.json (the list of vintages and their hashes) after "
        "checking every vintage folder: for stores made before the ledger existed.",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Dispatch to save, list, compare or reindex.

    A vintage that was changed, deleted or renamed is an error (exit 2) naming it; ``list``
    still shows the vintages that are intact before failing.
    """
    from wgsforecast import vintages

    if args.action == "list":
        found, problems = vintages.scan_vintages(args.root)
        store = args.root or vintages.default_root()
        if not found:
            print(f"no vintages in {store}")
        for v in found:
            target = v.target_month or "-"
            where = "  (shipped, read-only)" if v.bundled else ""
            print(
                f"{v.name:28} as of {v.as_of}  engine {v.metadata.get('engine')!s:10} "
                f"target {target}  hash {v.content_hash[:12]}{where}"
            )
        if problems:
            for problem in problems:
                print(f"wgsforecast vintages: error: {problem}", file=sys.stderr)
            return EXIT_USER_ERROR
        return 0
    if args.action == "reindex":
        names = vintages.reindex_vintages(args.root)
        store = args.root or vintages.default_root()
        print(f"{store}/{vintages.LEDGER} lists {len(names)} vintage(s): {', '.join(names)}")
        return 0
    if args.action == "save":
        from wgsforecast.api import forecast

        check_simulation_options(args)
        vintages.check_new_name(args.name, args.root)  # before the slow run
        data = load_data(args)
        check_memory(args, data)
        prognosis = forecast(
            data.actuals,
            data.groups,
            data.assumptions,
            engine=args.engine,
            n_paths=args.paths,
            seed=args.seed,
        )
        path = vintages.save_vintage(prognosis, args.name, args.root)
        print(f"saved vintage {args.name} in {path}")
        return 0
    out: Path = args.out
    check_out_is_folder(out)
    vintages.list_vintages(args.root)  # a damaged store fails before the actuals are read
    comparison = vintages.compare_vintages(load_data(args).actuals, root=args.root)
    from wgsforecast.io import atomic_path, atomic_write_text
    from wgsforecast.plotting import pyplot

    out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out / "vintage_errors.csv", comparison.errors.to_csv(index=False))
    atomic_write_text(out / "vintage_targets.csv", comparison.targets.to_csv(index=False))
    ax = vintages.plot_vintages(comparison, lang=args.lang)
    figure: Any = ax.figure
    with atomic_path(out / "vintages.png") as part:
        figure.savefig(part, format="png", dpi=120, bbox_inches="tight")
    pyplot().close(figure)
    for row in comparison.targets.to_dict("records"):
        months = row["error_months"]
        error = "" if months is None or months != months else f", error {int(months):+d} months"
        print(
            f"{row['vintage']}: predicted target {row['predicted_month']}, actual "
            f"{row['actual_month'] or '-'}{error} ({row['status']})"
        )
        errs = comparison.errors[comparison.errors["vintage"] == row["vintage"]]
        if len(errs):
            last = errs.iloc[-1]
            print(
                f"  cumulative error at {last['month']}: "
                f"{format_number(last['error'], 'en')} GE ({last['error_pct']:+.1f}%) "
                f"over {len(errs)} observed months"
            )
        else:
            print("  no actuals after its as-of month yet")
    if "reconstructed" in comparison.data_notes:
        print(label("reconstructed", args.lang))
    print(f"wrote {out / 'vintages.png'}, vintage_errors.csv, vintage_targets.csv")
    return 0
