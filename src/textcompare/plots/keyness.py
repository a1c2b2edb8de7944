"""Keyness figures: diverging log-ratio bars and the Fightin' Words funnel."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._common import empty_message, legend_below, require_columns
from .style import GREY, LIGHT_GREY, group_colors, new_axes, styled

Z_GUIDE = 1.96


def _one_comparison(table: pd.DataFrame, comparison: str | None) -> pd.DataFrame:
    """Rows of ``comparison`` (default: the first in the table) when the table has several."""
    if "comparison" not in table.columns or table.empty:
        return table
    chosen = comparison if comparison is not None else str(table["comparison"].iloc[0])
    return table[table["comparison"].astype(str) == chosen]


def _pair(table: pd.DataFrame) -> tuple[str, str]:
    a = str(table["group_a"].iloc[0]) if len(table) else "A"
    b = str(table["group_b"].iloc[0]) if len(table) else "B"
    return a, b


@styled
def plot_keyness(
    table: pd.DataFrame, *, n: int = 10, comparison: str | None = None, title: str | None = None, ax: Any = None
) -> Any:
    """Diverging bars: the ``n`` key terms of each side, log ratio on the axis, counts on the bars.

    Terms are ranked by G² within each side (``log_ratio > 0`` favours ``group_a``); each bar
    is labelled ``count_a : count_b`` and G², so raw counts sit beside the score, and, when the
    table has ``n_paragraphs_a``/``n_paragraphs_b``, ``¶k``: the paragraphs of the favoured side
    that contain the term (a key term confined to one paragraph is suspect).

    Parameters
    ----------
    table : DataFrame
        From ``compare_keyness``: ``term, group_a, group_b, count_a, count_b, g2, log_ratio``.
    n : int, keyword-only
        Terms per side.
    comparison : str, keyword-only
        Which ``comparison`` to draw when the table has several (default: the first).
    title : str, keyword-only
        Replaces the default title "Key terms: A vs B".
    ax : matplotlib Axes, optional
    """
    require_columns(table, ("term", "group_a", "group_b", "count_a", "count_b", "g2", "log_ratio"),
                    plot="plot_keyness")
    table = _one_comparison(table, comparison)
    a, b = _pair(table)
    ax = new_axes(ax, height=1.3 + 0.24 * 2 * n)
    if table.empty:
        return empty_message(ax, "no terms")
    order = ["g2", "term"]
    side_a = table[table["log_ratio"] > 0].sort_values(order, ascending=[False, True], kind="mergesort").head(n)
    side_b = table[table["log_ratio"] < 0].sort_values(order, ascending=[False, True], kind="mergesort").head(n)
    rows = pd.concat([side_b, side_a.iloc[::-1]], ignore_index=True)  # bottom to top: strongest at both ends
    colors = group_colors([a, b])
    y = np.arange(len(rows))
    lr = rows["log_ratio"].to_numpy(dtype=float)
    bar_colors = [colors[a] if v > 0 else colors[b] for v in lr]
    ax.barh(y, lr, color=bar_colors, height=0.7)
    span = float(np.nanmax(np.abs(lr))) if len(lr) else 1.0
    has_par = {"n_paragraphs_a", "n_paragraphs_b"} <= set(rows.columns)
    for yi, v, row in zip(y, lr, rows.itertuples()):
        label = f"{int(row.count_a)} : {int(row.count_b)}  G² {row.g2:.1f}"
        paragraphs = getattr(row, "n_paragraphs_a" if v > 0 else "n_paragraphs_b", None) if has_par else None
        if paragraphs is not None and pd.notna(paragraphs):
            label += f"  ¶{int(paragraphs)}"
        ha = "left" if v > 0 else "right"
        ax.text(v + (0.02 * span if v > 0 else -0.02 * span), yi, label, va="center", ha=ha, fontsize=6.5,
                color="#333333")
    ax.set_yticks(y, rows["term"].astype(str))
    ax.axvline(0, color="#444444", linewidth=0.8)
    ax.set_xlim(-span * 1.55, span * 1.55)
    par_note = "; ¶k: paragraphs of the favoured side with the term" if has_par else ""
    ax.set_xlabel(f"log ratio = log₂(rate in {a} / rate in {b})\n"
                  f"bar labels: count in {a} : count in {b}, G²{', ¶k' if has_par else ''}\n"
                  f"top {n} terms per side by G²{par_note}")
    ax.set_title(title if title is not None else f"Key terms: {a} vs {b}")
    from matplotlib.patches import Patch

    legend_below(ax, ncol=2, xlabel_lines=3,
                 handles=[Patch(color=colors[a], label=f"more in {a}"), Patch(color=colors[b], label=f"more in {b}")])
    return ax


def _spread(values: np.ndarray, gap: float) -> np.ndarray:
    """Push sorted label positions apart so neighbours are at least ``gap`` apart (order kept)."""
    order = np.argsort(values, kind="mergesort")
    out = values.astype(float).copy()
    for k in range(1, len(order)):
        prev, cur = order[k - 1], order[k]
        if out[cur] - out[prev] < gap:
            out[cur] = out[prev] + gap
    return out


@styled
def plot_fightin_words(
    table: pd.DataFrame, *, label_n: int = 8, comparison: str | None = None, ax: Any = None
) -> Any:
    """Fightin' Words funnel: z-score against log10 total frequency, guides at ±1.96 (unadjusted).

    Terms are coloured by the side they favour only when ``fw_q`` (Benjamini–Hochberg over the
    table's family, ``m_tests``) is at most 0.05; the legend says so. A table without ``fw_q``
    falls back to ``|fw_z| > 1.96`` and the legend says "unadjusted". The ``label_n`` most
    extreme on each side are labelled in a column right of the points (nudged apart vertically,
    joined to their point by a leader line; grey when not distinctive).

    Parameters
    ----------
    table : DataFrame
        From ``compare_keyness``: ``term, group_a, group_b, count_a, count_b, fw_z``.
    label_n : int, keyword-only
        Terms labelled per side.
    comparison : str, keyword-only
        Which ``comparison`` to draw when the table has several (default: the first).
    ax : matplotlib Axes, optional
    """
    require_columns(table, ("term", "group_a", "group_b", "count_a", "count_b", "fw_z"), plot="plot_fightin_words")
    table = _one_comparison(table, comparison)
    a, b = _pair(table)
    ax = new_axes(ax, height=4.4)
    data = table[(table["count_a"] + table["count_b"]) > 0]
    if data.empty:
        return empty_message(ax, "no terms")
    colors = group_colors([a, b])
    x = np.log10((data["count_a"] + data["count_b"]).to_numpy(dtype=float))
    z = data["fw_z"].to_numpy(dtype=float)
    if "fw_q" in data.columns:
        distinctive = data["fw_q"].to_numpy(dtype=float) <= 0.05
        m = int(data["m_tests"].iloc[0]) if "m_tests" in data.columns else len(table)
        rule, plain = f"BH q ≤ 0.05 over {m} tests", f"q > 0.05 ({int((~distinctive).sum())})"
    else:
        distinctive = np.abs(z) > Z_GUIDE
        rule, plain = f"|z| > {Z_GUIDE}, unadjusted", f"|z| ≤ {Z_GUIDE}"
    side = np.where(distinctive & (z > 0), a, np.where(distinctive & (z < 0), b, ""))
    ax.scatter(x[side == ""], z[side == ""], s=8, color="#BBBBBB", label=plain, zorder=2)
    for group, sign in ((a, 1), (b, -1)):
        mask = side == group
        ax.scatter(x[mask], z[mask], s=14, color=colors[group], label=f"more in {group} ({rule})", zorder=3)
    for y in (Z_GUIDE, -Z_GUIDE):
        ax.axhline(y, color=GREY, linestyle="--", linewidth=0.8, zorder=1)
    ax.axhline(0, color="#BBBBBB", linewidth=0.6, zorder=1)
    zspan = max(float(np.nanmax(np.abs(z))), Z_GUIDE * 1.2)
    x_max = float(np.nanmax(x))
    label_x = x_max + 0.12 * max(x_max, 0.5)  # one label column right of the points: leaders never cross
    label_ys: list[float] = [float(np.nanmin(z)), float(np.nanmax(z)), -Z_GUIDE, Z_GUIDE]
    for group, sign in ((a, 1), (b, -1)):
        pick = data.assign(_x=x, _z=z, _side=side)[(sign * z) > 0]
        pick = pick.assign(_abs=np.abs(pick["_z"])).sort_values(["_abs", "term"], ascending=[False, True],
                                                                kind="mergesort").head(label_n)
        if pick.empty:
            continue
        ly = sign * _spread(sign * pick["_z"].to_numpy(dtype=float), gap=zspan * 0.075)
        label_ys.extend(ly.tolist())
        for (px, pz, term, where), yy in zip(pick[["_x", "_z", "term", "_side"]].itertuples(index=False), ly):
            ax.annotate(str(term), (px, pz), xytext=(label_x, yy), textcoords="data",
                        fontsize=7, color=colors[group] if where == group else GREY, va="center",
                        arrowprops={"arrowstyle": "-", "color": LIGHT_GREY, "linewidth": 0.6})
    ax.set_xlim(-0.05, x_max * 1.45 + 0.3)
    low, high = min(label_ys), max(label_ys)
    pad = 0.06 * (high - low)
    ax.set_ylim(low - pad, high + pad)
    ax.set_xlabel("log₁₀ (count in both groups)")
    ax.set_ylabel(f"Fightin' Words z  (> 0: more in {a})")
    ax.set_title(f"Fightin' Words: {a} vs {b}")
    legend_below(ax, ncol=3)
    return ax
