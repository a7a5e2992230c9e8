"""HTML pieces of the report: every value goes through :func:`esc`; the timeline is inline SVG."""

from __future__ import annotations

import html
from typing import Any, Iterable

KIND_LABELS = {
    "tags": "标签",
    "organisations": "机构",
    "officials": "官员",
    "programmes": "项目与活动",
    "persons": "人物",
    "places": "地点",
}
# Kinds with a page per name (persons and places are highlighted in the text only).
PAGE_KINDS = ("tags", "organisations", "officials", "programmes")
CHART_KINDS = ("organisations", "officials", "programmes")


def esc(value: Any) -> str:
    """HTML-escape any value for text and for quoted attributes (``None`` is empty)."""
    return "" if value is None else html.escape(str(value), quote=True)


def page(title: str, body: str, *, root: str, site_title: str, search: bool = False) -> str:
    """A whole page; ``root`` is the relative way up to the report's top folder (``""`` or ``"../"``).

    The Content-Security-Policy allows no inline script, so even a value that escaped
    escaping could not run; the only script is the report's own file, on the search page.
    """
    script = f'<script src="{root}assets/search-index.js"></script><script src="{root}assets/report.js"></script>' if search else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self'; "
        "style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'\">"
        '<meta name="referrer" content="no-referrer">'
        f'<link rel="icon" href="data:,"><link rel="stylesheet" href="{root}assets/report.css">'
        f"<title>{esc(title)} · {esc(site_title)}</title></head><body>"
        f'<header class="site"><a class="home" href="{root}index.html">{esc(site_title)}</a>'
        f'<nav><a href="{root}posts/index.html">文章</a><a href="{root}tags/index.html">标签</a>'
        f'<a href="{root}organisations/index.html">机构</a><a href="{root}officials/index.html">官员</a>'
        f'<a href="{root}programmes/index.html">项目</a><a href="{root}errors.html">错误</a><a href="{root}search.html">搜索</a></nav>'
        f'<form class="search" action="{root}search.html" method="get" role="search">'
        '<input type="search" name="q" placeholder="搜索标题、摘要、机构…" aria-label="搜索">'
        '<button type="submit">搜索</button></form></header>'
        f'<main>{body}</main><footer>由 newsnlp report 生成</footer>{script}</body></html>\n'
    )


def table(headers: Iterable[str], rows: Iterable[Iterable[str]], *, cls: str = "") -> str:
    """A table from already-escaped cells, wrapped so that it scrolls sideways on a phone."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<div class="scroll"><table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def timeline_svg(months: list[str], series: dict[str, list[int]], *, title: str) -> str:
    """Stacked bars, one per month, as inline SVG (no script, scales to the page width).

    Args:
        months: ``"YYYY-MM"`` labels, every month from the first to the last.
        series: kind -> counts per month (same length as ``months``).
    """
    if not months:
        return '<p class="note">没有带日期的记录，无法绘制时间线。</p>'
    width, height, left, bottom, top = 720, 220, 44, 28, 10
    plot_w, plot_h = width - left - 8, height - bottom - top
    totals = [sum(series[k][i] for k in series) for i in range(len(months))]
    peak = max(totals) or 1
    bar = plot_w / len(months)
    parts = [
        f'<svg class="timeline" viewBox="0 0 {width} {height}" role="img" aria-label="{esc(title)}" '
        'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">',
        f"<title>{esc(title)}</title>",
        f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{width - 8}" y2="{top + plot_h}"/>',
    ]
    for frac in (0.5, 1.0):
        y = top + plot_h - plot_h * frac
        parts.append(f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{width - 8}" y2="{y:.1f}"/>')
        parts.append(f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{round(peak * frac)}</text>')
    parts.append(f'<text class="tick" x="{left - 6}" y="{top + plot_h + 4}" text-anchor="end">0</text>')
    step = max(1, len(months) // 8)
    for i, month in enumerate(months):
        x = left + i * bar
        y = top + plot_h
        for n, kind in enumerate(series):
            value = series[kind][i]
            if not value:
                continue
            h = plot_h * value / peak
            y -= h
            parts.append(
                f'<rect class="s{n}" x="{x + bar * 0.1:.1f}" y="{y:.1f}" width="{max(bar * 0.8, 1):.1f}" height="{h:.1f}">'
                f"<title>{esc(month)} {esc(KIND_LABELS.get(kind, kind))}：{value}</title></rect>"
            )
        if i % step == 0:
            parts.append(f'<text class="tick" x="{x + bar / 2:.1f}" y="{height - 8}" text-anchor="middle">{esc(month)}</text>')
    parts.append("</svg>")
    legend = "".join(
        f'<span class="key"><i class="s{n}"></i>{esc(KIND_LABELS.get(kind, kind))}</span>' for n, kind in enumerate(series)
    )
    return f'<figure class="chart">{"".join(parts)}<figcaption>{legend}</figcaption></figure>'


def month_range(first: str, last: str) -> list[str]:
    """Every ``YYYY-MM`` from ``first`` to ``last`` inclusive."""
    y, m = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    out = []
    while (y, m) <= end:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
