"""Small bar charts drawn on the server as inline SVG (no JavaScript, every label escaped).

- `indicator_chart`: each indicator's target beside its actual value, one row per indicator, each
  row on its own scale (units differ between indicators), labelled with both numbers.
- `funding_chart`: funds budgeted (initial, full-year) against executed, on one scale in 元.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from nlp_service.schema import FundingPublic, IndicatorPublic

WIDTH = 560
LABEL_WIDTH = 190
BAR_HEIGHT = 11
ROW_GAP = 12
VALUE_LABEL_WIDTH = 90


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    css: str
    caption: str


@dataclass(frozen=True)
class BarGroup:
    label: str
    bars: tuple[Bar, ...]
    anchor: str = ""


def _number(value: float) -> str:
    if abs(value) >= 10_000:
        return f"{value:,.0f}"
    return f"{value:g}"


def _bar_svg(bar: Bar, y: float, scale_max: float) -> str:
    span = WIDTH - LABEL_WIDTH - VALUE_LABEL_WIDTH
    length = 0.0 if scale_max <= 0 else max(0.0, bar.value) / scale_max * span
    title = escape(f"{bar.label}：{bar.caption}")
    return (
        f'<rect class="bar {escape(bar.css)}" x="{LABEL_WIDTH}" y="{y:.1f}" width="{max(length, 1.0):.1f}" '
        f'height="{BAR_HEIGHT}"><title>{title}</title></rect>'
        f'<text class="bar-value" x="{LABEL_WIDTH + length + 4:.1f}" y="{y + BAR_HEIGHT - 2:.1f}">'
        f"{escape(bar.caption)}</text>"
    )


def _group_svg(group: BarGroup, y: float, scale_max: float | None = None) -> str:
    local_max = scale_max if scale_max is not None else max((b.value for b in group.bars), default=0.0)
    label = group.label if len(group.label) <= 12 else group.label[:11] + "…"
    parts = [
        f'<text class="group-label" x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT + 2:.1f}" text-anchor="end">'
        f"<title>{escape(group.label)}</title>{escape(label)}</text>"
    ]
    for number, bar in enumerate(group.bars):
        parts.append(_bar_svg(bar, y + number * (BAR_HEIGHT + 1), local_max))
    body = "".join(parts)
    if group.anchor:
        return f'<g class="bar-group" data-target="{escape(group.anchor)}">{body}</g>'
    return f'<g class="bar-group">{body}</g>'


def _legend(items: Sequence[tuple[str, str]], y: float) -> str:
    parts = []
    x = float(LABEL_WIDTH)
    for css, label in items:
        parts.append(f'<rect class="bar {css}" x="{x:.0f}" y="{y:.0f}" width="12" height="10"/>')
        parts.append(f'<text class="legend" x="{x + 16:.0f}" y="{y + 9:.0f}">{escape(label)}</text>')
        x += 24 + 14 * len(label)
    return "".join(parts)


def _chart(
    groups: Sequence[BarGroup], legend: Sequence[tuple[str, str]], title: str, shared_scale: bool
) -> Markup:
    row_height = len(groups[0].bars) * (BAR_HEIGHT + 1) + ROW_GAP if groups else 0
    height = 24 + row_height * len(groups) + 8
    scale = max((b.value for g in groups for b in g.bars), default=0.0) if shared_scale else None
    rows = "".join(_group_svg(group, 24 + number * row_height, scale) for number, group in enumerate(groups))
    return Markup(
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{_legend(legend, 4)}{rows}</svg>"
    )


def _actual_css(indicator: IndicatorPublic) -> str:
    if indicator.met is True:
        return "actual met"
    if indicator.met is False:
        return "actual unmet"
    return "actual"


def _comparable(indicator: IndicatorPublic) -> bool:
    """Target and actual can share a bar scale unless both state units and the units differ."""
    target_unit, actual_unit = indicator.target.unit, indicator.actual.unit
    return not (target_unit and actual_unit and target_unit != actual_unit)


def indicator_groups(indicators: Sequence[IndicatorPublic]) -> list[BarGroup]:
    """One group per indicator whose target and actual are both numbers."""
    groups = []
    for indicator in indicators:
        target, actual = indicator.target.value, indicator.actual.value
        if target is None or actual is None or not _comparable(indicator):
            continue
        target_caption = f"{indicator.target.raw or _number(target)}"
        actual_caption = f"{_number(actual)}{indicator.actual.unit or indicator.target.unit or ''}"
        bars = (
            Bar("目标", target, "target", target_caption),
            Bar("实际", actual, _actual_css(indicator), actual_caption),
        )
        groups.append(BarGroup(indicator.name, bars, anchor=f"ind-{indicator.id}"))
    return groups


def indicator_chart(indicators: Sequence[IndicatorPublic]) -> Markup | None:
    """Target against actual per indicator, or None when no indicator has both as numbers."""
    groups = indicator_groups(indicators)
    if not groups:
        return None
    legend = [("target", "目标值"), ("actual met", "实际值（达成）"), ("actual unmet", "实际值（未达成）")]
    return _chart(groups, legend, "指标目标值与实际完成值", shared_scale=False)


def funding_chart(funding: FundingPublic | None) -> Markup | None:
    """Budgeted against executed funds in 元, or None when the report states none."""
    if funding is None:
        return None
    rows = [
        ("年初预算数", funding.budget_initial, "budget"),
        ("全年预算数", funding.budget_full_year, "budget-full"),
        ("全年执行数", funding.executed, "executed"),
    ]
    groups = [
        BarGroup(label, (Bar(label, value, css, f"{_number(value)}元"),))
        for label, value, css in rows
        if value is not None
    ]
    if not groups:
        return None
    legend = [("budget", "预算"), ("executed", "执行")]
    return _chart(groups, legend, "预算资金与执行资金（元）", shared_scale=True)
