"""Coding a sheet in a notebook: :class:`CodingSession` (the logic) and :func:`build_coding_widget` (ipywidgets).

The session holds the sheet, knows which row is next, and saves every answer atomically to the
CSV (a crash or a closed browser loses at most the answer being typed), so re-opening the sheet
resumes at the first uncoded row. The widget shows one sentence in bold between its neighbours,
one checkbox per frame with the codebook definition as its tooltip, and a text box for the
keyboard: type the frame numbers (``1 3``, or ``0`` for none) and press Enter to save and move on;
Tab and Space also reach and tick every checkbox. The logic is tested without a browser
(``tests/test_validation.py``); the widget is a thin view over it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any


from ..errors import InputError
from .sheet import CODER_COLUMN, load_coding_sheet, read_sheet_csv, save_sheet


class CodingSession:
    """One coder working through one sheet.

    Parameters
    ----------
    path : path
        The sheet (from ``textcompare sample``); it is rewritten atomically after every answer.
    coder : str
        The name written in the ``coder`` column.
    frames : list of str
        The sheet's frame columns.
    definitions : dict, optional
        frame -> definition (shown as tooltips).

    Examples
    --------
    >>> session = CodingSession("sheet.csv", coder="ana", frames=["enmity", "escalation"])  # doctest: +SKIP
    >>> session.record({"escalation"})  # doctest: +SKIP
    """

    def __init__(self, path: str | Path, *, coder: str, frames: list[str], definitions: dict[str, str] | None = None):
        if not str(coder).strip() or "," in coder or "\n" in coder:
            raise InputError(f"coder name {coder!r} must be non-empty, without commas or line breaks")
        self.path = Path(path)
        self.coder = str(coder).strip()
        self.frames = list(frames)
        self.definitions = definitions or {}
        load_coding_sheet(self.path, frames=self.frames)  # validates the file before any write
        self.sheet = read_sheet_csv(self.path)
        self.position = self.first_uncoded()

    def first_uncoded(self) -> int:
        """Index of the first row without a coder (``len`` when all are coded)."""
        empty = (self.sheet[CODER_COLUMN].str.strip() == "").to_numpy().nonzero()[0]
        return int(empty[0]) if len(empty) else len(self.sheet)

    @property
    def done(self) -> bool:
        return self.position >= len(self.sheet)

    @property
    def n_coded(self) -> int:
        return int((self.sheet[CODER_COLUMN].str.strip() != "").sum())

    def current(self) -> dict[str, Any]:
        """The row to code: sent_key, sentence, before, after, and the codes already given (a set)."""
        if self.done:
            raise IndexError("every row is coded")
        row = self.sheet.iloc[self.position]
        codes = {f for f in self.frames if str(row[f]).strip() in ("1", "1.0")}
        return {"sent_key": row["sent_key"], "sentence": row["sentence"], "before": row.get("before", ""),
                "after": row.get("after", ""), "codes": codes, "position": self.position}

    def record(self, codes: set[str] | list[str], *, advance: bool = True) -> None:
        """Save the codes of the current row (every frame 0 or 1, the coder's name) and move on."""
        unknown = set(codes) - set(self.frames)
        if unknown:
            raise InputError(f"unknown frame(s) {', '.join(sorted(unknown))}", fix="valid: " + ", ".join(self.frames))
        if self.done:
            raise IndexError("every row is coded")
        for frame in self.frames:
            self.sheet.at[self.position, frame] = "1" if frame in codes else "0"
        self.sheet.at[self.position, CODER_COLUMN] = self.coder
        save_sheet(self.sheet, self.path)
        if advance:
            self.position += 1

    def record_keys(self, text: str) -> None:
        """Record codes typed as frame numbers (1-based, as the widget shows them); ``0`` or empty: none."""
        numbers = text.replace(",", " ").split()
        if not all(n.isdigit() and 0 <= int(n) <= len(self.frames) for n in numbers):
            raise InputError(f"{text!r}: type frame numbers 1-{len(self.frames)} separated by spaces, or 0 for none")
        self.record({self.frames[int(n) - 1] for n in numbers if int(n) > 0})

    def back(self) -> None:
        """Go to the previous row (to revise it)."""
        self.position = max(0, self.position - 1)

    def goto(self, position: int) -> None:
        """Go to row ``position`` (0-based, clipped to the sheet), e.g. to revise a row seen earlier."""
        self.position = min(max(0, int(position)), len(self.sheet))


def build_coding_widget(path: str | Path, *, coder: str, frames: list[str] | None = None,
                        definitions: dict[str, str] | None = None) -> Any:
    """An ipywidgets coder over :class:`CodingSession` (display it in a notebook cell).

    Returns
    -------
    ``ipywidgets.VBox`` with a ``.session`` attribute (the :class:`CodingSession`).
    """
    import html

    import ipywidgets as w

    from .predictions import case_frames, frame_definitions

    frames = case_frames() if frames is None else list(frames)
    definitions = frame_definitions(frames) if definitions is None else definitions
    session = CodingSession(path, coder=coder, frames=frames, definitions=definitions)
    text = w.HTML()
    status = w.HTML()
    boxes = {f: w.Checkbox(description=f"{k + 1} {f}", indent=False, tooltip=definitions.get(f, ""),
                           layout=w.Layout(width="220px")) for k, f in enumerate(frames)}
    keys = w.Text(placeholder="frame numbers, e.g. 1 3 (0 = none), then Enter", continuous_update=False,
                  layout=w.Layout(width="420px"))
    save = w.Button(description="Save and next", button_style="primary", tooltip="save this row atomically")
    back = w.Button(description="Back", tooltip="revise the previous row")

    def show() -> None:
        status.value = f"<b>{session.n_coded}</b> of {len(session.sheet)} coded &middot; saved to {html.escape(str(path))}"
        if session.done:
            text.value = "<p><b>Every sentence is coded.</b></p>"
            return
        row = session.current()
        text.value = (f"<p style='color:#666'>{html.escape(row['before'])}</p>"
                      f"<p style='font-size:1.15em'><b>{html.escape(row['sentence'])}</b></p>"
                      f"<p style='color:#666'>{html.escape(row['after'])}</p>")
        for f, box in boxes.items():
            box.value = f in row["codes"]
        keys.value = ""

    def on_save(_: Any) -> None:
        if not session.done:
            session.record({f for f, box in boxes.items() if box.value})
        show()

    def on_back(_: Any) -> None:
        session.back()
        show()

    def on_keys(change: dict[str, Any]) -> None:
        if change["new"].strip() and not session.done:
            try:
                session.record_keys(change["new"])
            except InputError as exc:
                status.value = f"<span style='color:#b00'>{html.escape(str(exc))}</span>"
                return
            show()

    save.on_click(on_save)
    back.on_click(on_back)
    keys.observe(on_keys, names="value")
    show()
    grid = w.GridBox(list(boxes.values()), layout=w.Layout(grid_template_columns="repeat(3, 230px)"))
    box = w.VBox([status, text, grid, w.HBox([keys, save, back])])
    box.session = session
    return box


__all__ = ["CodingSession", "build_coding_widget"]
