"""What the report says on the terminal while it works, in the report's language."""

from __future__ import annotations

from wgsforecast._text import Text

FORECAST_PUBLISHED = Text(
    da="fremskriver med den offentliggjorte metode (runrate) ...",
    en="forecasting with the published method (runrate) ...",
)
FORECAST_EVIDENCE = Text(
    da="fremskriver med {method} ({paths} forløb, startværdi {seed}) ...",
    en="forecasting with the {method} ({paths} paths, seed {seed}) ...",
)
FORECAST_BASELINES = Text(
    da="fremskriver sammenligningsgrundlagene ({engines}) ...",
    en="forecasting the baselines ({engines}) ...",
)
RUN_SCENARIOS = Text(da="kører {n} scenarie(r) ...", en="running {n} scenario(s) ...")
DRAW_FIGURES = Text(da="tegner figurer ...", en="drawing figures ...")
WRITE_HTML = Text(da="skriver HTML-rapporten ...", en="writing the HTML report ...")
WRITE_WORKBOOK = Text(da="skriver Excel-projektmappen ...", en="writing the Excel workbook ...")
SAVED_VINTAGE = Text(da="gemte prognoseversion {name}", en="saved vintage {name}")
REMOVED_INTERRUPTED = Text(
    da="fjernede {path}: efterladt af en afbrudt kørsel",
    en="removed {path}: left by an interrupted run",
)
LEFT_SYMLINK = Text(
    da="lod {path} være: {link} er et symbolsk link, som aldrig følges ved sletning",
    en="left {path}: {link} is a symbolic link, which is never followed when removing",
)
LEFT_CHANGED = Text(
    da="lod {path} være: ændret siden en tidligere rapport skrev den",
    en="left {path}: changed since an earlier report wrote it",
)
REMOVED_STALE = Text(
    da="fjernede {path}: ikke lavet af denne kørsel",
    en="removed {path}: not produced by this run",
)
