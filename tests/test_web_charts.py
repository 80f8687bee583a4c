"""Server-side SVG charts: which indicators are drawn, escaped labels, funding bars on one scale."""

from __future__ import annotations

import re

import pytest

from nlp_service.schema import ActualPublic, FundingPublic, IndicatorPublic, TargetPublic
from nlp_service.web.charts import funding_chart, indicator_chart, indicator_groups


def _indicator(name: str, target: float | None, actual: float | None, *, target_unit: str | None = None,
               actual_unit: str | None = None, met: bool | None = None) -> IndicatorPublic:  # fmt: skip
    return IndicatorPublic(
        id=name, name=name, met=met,
        target=TargetPublic(raw=None if target is None else f"≥{target:g}", value=target, unit=target_unit),
        actual=ActualPublic(value=actual, unit=actual_unit),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("indicator", "drawn"),
    [
        (_indicator("数量", 200, 469, actual_unit="个", met=True), True),
        (_indicator("覆盖率", 80, 154, target_unit="%", actual_unit="人次"), False),
        (_indicator("无实际值", 100, None), False),
        (_indicator("无目标", None, 5), False),
    ],
)
def test_web_charts_draw_only_comparable_indicators(indicator: IndicatorPublic, drawn: bool) -> None:
    assert bool(indicator_groups([indicator])) is drawn


def test_web_charts_escape_labels_and_colour_met_and_unmet() -> None:
    svg = str(
        indicator_chart(
            [_indicator("<script>x</script>", 100, 70, met=False), _indicator("b", 1, 2, met=True)]
        )
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'class="bar actual unmet"' in svg and 'class="bar actual met"' in svg
    assert indicator_chart([_indicator("c", None, None)]) is None


def test_web_charts_funding_bars_share_one_scale() -> None:
    svg = str(funding_chart(FundingPublic(budget_initial=1000, budget_full_year=1000, executed=500)))
    widths = [
        float(w)
        for w in re.findall(
            r'<rect class="bar [^"]*" x="\d+" y="[\d.]+" width="([\d.]+)" height="\d+"><title>', svg
        )
    ]
    assert widths[0] == widths[1] == pytest.approx(2 * widths[2])
    assert funding_chart(None) is None and funding_chart(FundingPublic()) is None
