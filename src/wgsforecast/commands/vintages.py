"""``wgsforecast vintages save|list|compare``: keep quarterly prognoses and score them later."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from wgsforecast._data_notes import is_reconstructed
from wgsforecast._text import Text
from wgsforecast.commands._csv_tables import (
    last_actual_month,
    target_status,
    vintage_errors,
    vintage_targets,
    write_csv,
)
from wgsforecast.commands._options import (
    add_data_options,
    add_lang_option,
    add_output_options,
    add_simulation_options,
    add_vintages_option,
    check_out_is_folder,
    check_run_options,
    load_checked_data,
    load_data,
)
from wgsforecast.exceptions import EXIT_USER_ERROR
from wgsforecast.labels import label
from wgsforecast.periods import Lang, format_number, format_percent

NO_VINTAGES = Text(da="ingen prognoseversioner i {store}", en="no vintages in {store}")
LISTED = Text(
    da="{name:28} pr. {as_of}  metode {engine:10} mål {target}  hash {hash}{where}",
    en="{name:28} as of {as_of}  engine {engine:10} target {target}  hash {hash}{where}",
)
SHIPPED = Text(da="  (medfølger, skrivebeskyttet)", en="  (shipped, read-only)")
REINDEXED = Text(
    da="{ledger} lister {n} prognoseversion(er): {names}",
    en="{ledger} lists {n} vintage(s): {names}",
)
SAVED = Text(da="gemte prognoseversion {name} i {path}", en="saved vintage {name} in {path}")
TARGET_LINE = Text(
    da="{vintage}: forudsagt målmåned {predicted}, faktisk {actual}{error} ({status})",
    en="{vintage}: predicted target {predicted}, actual {actual}{error} ({status})",
)
TARGET_ERROR = Text(da=", fejl {months:+d} mdr.", en=", error {months:+d} months")
CUMULATIVE_ERROR = Text(
    da="  akkumuleret fejl i {month}: {error} GE ({pct}) over {n} observerede måneder",
    en="  cumulative error at {month}: {error} GE ({pct}) over {n} observed months",
)
NO_ACTUALS_YET = Text(
    da="  endnu ingen faktiske tal efter dens opgørelsesmåned",
    en="  no actuals after its as-of month yet",
)
WROTE = Text(
    da="skrev {figure}, vintage_errors.csv, vintage_targets.csv",
    en="wrote {figure}, vintage_errors.csv, vintage_targets.csv",
)


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
    add_lang_option(save)

    listing = action(
        "list",
        "list the vintages",
        "List the vintages in the store (and the shipped March 2023 vintage) with their "
        "as-of month, engine, target month and content hash. A changed, deleted or "
        "renamed vintage is an error that names it.",
    )
    add_lang_option(listing)

    compare = action(
        "compare",
        "score vintages against actuals",
        "Score every earlier vintage against the actuals that followed it, and draw every "
        "vintage's curve over the actuals.",
    )
    add_data_options(compare, assumptions=False)
    add_output_options(compare, out="out/vintage-scores")

    reindex = action(
        "reindex",
        "rebuild the store's ledger.json after checking every vintage folder in it",
        "Rebuild the store's ledger.json (the list of vintages and their hashes) after "
        "checking every vintage folder: for stores made before the ledger existed.",
    )
    add_lang_option(reindex)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Dispatch to save, list, compare or reindex.

    A vintage that was changed, deleted or renamed is an error (exit 2) naming it; ``list``
    still shows the vintages that are intact before failing.
    """
    from wgsforecast import vintages
    from wgsforecast.cli import USER_ERROR

    lang: Lang = args.lang
    if args.action == "list":
        found, problems = vintages.scan_vintages(args.root)
        store = args.root or vintages.default_root()
        if not found:
            print(NO_VINTAGES(lang, store=store))
        for v in found:
            line = LISTED(
                lang,
                name=v.name,
                as_of=v.as_of,
                engine=str(v.metadata.engine),
                target=v.target_month or "-",
                hash=v.content_hash[:12],
                where=SHIPPED(lang) if v.bundled else "",
            )
            print(line)
        if problems:
            for problem in problems:
                print(USER_ERROR(lang, command="vintages", message=problem), file=sys.stderr)
            return EXIT_USER_ERROR
        return 0
    if args.action == "reindex":
        names = vintages.reindex_vintages(args.root)
        store = args.root or vintages.default_root()
        ledger = f"{store}/{vintages.LEDGER}"
        print(REINDEXED(lang, ledger=ledger, n=len(names), names=", ".join(names)))
        return 0
    if args.action == "save":
        from wgsforecast.api import forecast

        check_run_options(args)
        vintages.check_new_name(args.name, args.root)  # before the slow run
        data = load_checked_data(args)
        prognosis = forecast(
            data.actuals,
            data.groups,
            data.assumptions,
            engine=args.engine,
            n_paths=args.paths,
            seed=args.seed,
        )
        path = vintages.save_vintage(prognosis, args.name, args.root)
        print(SAVED(lang, name=args.name, path=path))
        return 0
    out: Path = args.out
    check_out_is_folder(out)
    chosen = vintages.list_vintages(args.root)  # a damaged store fails before the actuals
    comparison = vintages.compare_vintages(load_data(args).actuals, chosen)
    from wgsforecast.plotting import pyplot, save_figure

    out.mkdir(parents=True, exist_ok=True)
    write_csv(out / "vintage_errors.csv", vintage_errors(comparison, lang), lang)
    write_csv(out / "vintage_targets.csv", vintage_targets(comparison, lang), lang)
    figure: Any = vintages.plot_vintages(comparison, lang=lang).figure
    save_figure(figure, out / "vintages", formats=("png",), dpi=120)
    pyplot().close(figure)
    last_month = last_actual_month(comparison)
    for row in comparison.targets.to_dict("records"):
        months = row["error_months"]
        error = "" if months is None or months != months else TARGET_ERROR(lang, months=int(months))
        print(
            TARGET_LINE(
                lang,
                vintage=row["vintage"],
                predicted=row["predicted_month"],
                actual=row["actual_month"] or "-",
                error=error,
                status=target_status(row, last_month, lang),
            )
        )
        errs = comparison.errors[comparison.errors["vintage"] == row["vintage"]]
        if len(errs):
            last = errs.iloc[-1]
            pct = last["error_pct"]
            sign = "+" if pct >= 0 else "-"
            share = "-" if pct != pct else sign + format_percent(abs(pct) / 100, lang, 1)
            print(
                CUMULATIVE_ERROR(
                    lang,
                    month=last["month"],
                    error=format_number(last["error"], lang),
                    pct=share,
                    n=len(errs),
                )
            )
        else:
            print(NO_ACTUALS_YET(lang))
    if is_reconstructed(comparison.data_notes):
        print(label("reconstructed", lang))
    print(WROTE(lang, figure=out / "vintages.png"))
    return 0
