"""Small inline SVG drawings for the one-pager: an avatar and bar charts of a segment against everyone.

Drawn as text by the code (no images, no fonts, no scripts): the HTML stays one self-contained file
that prints the same everywhere. Every label is escaped here, since the SVG is inserted as markup.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#2f6f8f", "#8f4f2f", "#4f7f3f", "#6f4f8f", "#8f2f5f", "#2f7f6f", "#7f6f2f", "#3f5f9f")
SEGMENT_COLOUR = "#2f6f8f"
ALL_COLOUR = "#c3ccd4"
RFM_COLOURS = {"champions": "#1b7f5f", "loyal": "#3f9f6f", "potential_loyalists": "#8fbf5f", "new": "#5f9fcf",
               "promising": "#9fcfef", "need_attention": "#efcf5f", "about_to_sleep": "#efaf5f",
               "at_risk": "#df6f4f", "cannot_lose": "#af3f3f", "hibernating": "#9f9f9f"}
_NUMBER = re.compile(r"\d[\d,.]*")


@dataclass
class Bar:
    label: str
    segment: float  # share 0–1
    overall: float


def avatar_svg(name: str, size: int = 84) -> str:
    """A head-and-shoulders figure on a colour of the name, with the name's initials."""
    colour = PALETTE[int(hashlib.sha256(name.encode()).hexdigest(), 16) % len(PALETTE)]
    initials = "".join(word[0] for word in re.findall(r"[^\W\d_]+", name)[:2]).upper() or "?"
    return (f'<svg class="avatar" viewBox="0 0 84 84" width="{size}" height="{size}" role="img" '
            f'aria-label="{escape(name)}" xmlns="http://www.w3.org/2000/svg">'
            f'<circle cx="42" cy="42" r="42" fill="{colour}"/>'
            '<circle cx="42" cy="30" r="13" fill="#ffffff" fill-opacity="0.88"/>'
            '<path d="M15 74c3-16 14-24 27-24s24 8 27 24z" fill="#ffffff" fill-opacity="0.88"/>'
            f'<text x="42" y="69" text-anchor="middle" font-size="13" font-weight="700" fill="{colour}" '
            f'font-family="sans-serif">{escape(initials)}</text></svg>')


def band_order(labels: Sequence[str]) -> list[str]:
    """Answers that are ranges ("25-34", "Under €30,000", "€120,000 or more") in their natural order;
    answers without a number last, as they came."""

    def key(label: str) -> tuple[int, float, int]:
        found = _NUMBER.search(label)
        if found is None:
            return (1, 0.0, 0)
        value = float(found.group().replace(",", "").rstrip("."))
        lower = 0 if re.search(r"\b(under|less|below|up to|<)\b", label, re.IGNORECASE) else 1
        return (0, value, lower)

    return sorted(labels, key=key)


def bars_svg(title: str, bars: Sequence[Bar], *, caption: str = "") -> str:
    """Pairs of horizontal bars: the segment (dark) against all respondents (light), with percentages."""
    row, top, label_width, width = 17, 2, 118, 300
    height = top + row * len(bars) + 4
    scale = max([b.segment for b in bars] + [b.overall for b in bars] + [0.01])
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg">']
    for index, bar in enumerate(bars):
        y = top + index * row
        label = bar.label if len(bar.label) <= 22 else bar.label[:21] + "…"
        segment_width = (width - label_width - 40) * bar.segment / scale
        overall_width = (width - label_width - 40) * bar.overall / scale
        parts.append(f'<text x="{label_width - 4}" y="{y + 10}" text-anchor="end" font-size="9.5" '
                     f'font-family="sans-serif" fill="#333">{escape(label)}<title>{escape(bar.label)}</title></text>')
        parts.append(f'<rect x="{label_width}" y="{y + 1}" width="{segment_width:.1f}" height="7" '
                     f'fill="{SEGMENT_COLOUR}"/>')
        parts.append(f'<rect x="{label_width}" y="{y + 8.5}" width="{overall_width:.1f}" height="5" '
                     f'fill="{ALL_COLOUR}"/>')
        parts.append(f'<text x="{label_width + segment_width + 3:.1f}" y="{y + 7.5}" font-size="8.5" '
                     f'font-family="sans-serif" fill="#222">{bar.segment * 100:.0f} %</text>')
    parts.append("</svg>")
    return "".join(parts) + (f'<p class="caption">{escape(caption)}</p>' if caption else "")


def stacked_svg(title: str, rows: Sequence[tuple[str, dict[str, float]]], labels: dict[str, str]) -> str:
    """100 % stacked bars (e.g. the segment's RFM mix against all joined customers) with a legend."""
    width, label_width, bar_height, gap = 300, 70, 16, 8
    groups = list(dict.fromkeys(g for _, shares in rows for g in shares))
    legend_rows = (len(groups) + 2) // 3
    height = len(rows) * (bar_height + gap) + legend_rows * 13 + 4
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg">']
    for index, (name, shares) in enumerate(rows):
        y = index * (bar_height + gap)
        parts.append(f'<text x="{label_width - 4}" y="{y + 12}" text-anchor="end" font-size="9.5" '
                     f'font-family="sans-serif" fill="#333">{escape(name)}</text>')
        x = float(label_width)
        total = sum(shares.values()) or 1.0
        for group, share in shares.items():
            span = (width - label_width - 4) * share / total
            colour = RFM_COLOURS.get(group, PALETTE[groups.index(group) % len(PALETTE)])
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{span:.1f}" height="{bar_height}" fill="{colour}">'
                         f'<title>{escape(labels.get(group, group))} {share * 100:.0f} %</title></rect>')
            if span > 22:
                parts.append(f'<text x="{x + span / 2:.1f}" y="{y + 11.5}" text-anchor="middle" font-size="8" '
                             f'font-family="sans-serif" fill="#fff">{share * 100:.0f}%</text>')
            x += span
    top = len(rows) * (bar_height + gap)
    for index, group in enumerate(groups):
        column, line = index % 3, index // 3
        x, y = 4 + column * 100, top + line * 13
        colour = RFM_COLOURS.get(group, PALETTE[index % len(PALETTE)])
        parts.append(f'<rect x="{x}" y="{y + 2}" width="8" height="8" fill="{colour}"/>'
                     f'<text x="{x + 11}" y="{y + 9.5}" font-size="8.5" font-family="sans-serif" fill="#333">'
                     f'{escape(labels.get(group, group))}</text>')
    parts.append("</svg>")
    return "".join(parts)
