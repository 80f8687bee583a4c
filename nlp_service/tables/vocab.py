"""Header words and category words of performance tables, in simplified and traditional script.

Columns are recognised by these words, never by position. `column_kind(text)` names the column a
header cell heads; `is_level1` / `is_level2` tell category cells from indicator names.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "column_kind",
    "funding_kind",
    "is_level1",
    "is_level2",
    "squash",
    "squash_offsets",
    "compact",
    "to_simplified",
    "category_weight",
    "strip_category_weight",
    "FUNDING_TOTAL_RE",
    "FUNDING_LABEL_RE",
    "END_RE",
]

_TRAD_PAIRS = "級级標标實实際际預预執执數数劃划類类撥拨資资總总額额財财務务質质時时產产現现經经濟济會会態态響响滿满歲岁續续對对於于內内與与費费項项績绩達达場场計计萬万況况義义務务標标效效滿满意意無无値值"
_TRAD = str.maketrans(_TRAD_PAIRS[0::2], _TRAD_PAIRS[1::2])


_PINYIN_RE = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[)）]")


def to_simplified(text: str) -> str:
    """Traditional characters of the table vocabulary mapped to simplified (same length)."""
    return text.translate(_TRAD)


@lru_cache(maxsize=16384)
def compact(text: str) -> str:
    """Whitespace out (for output: the characters stay as written)."""
    return re.sub(r"[\s\u3000\xa0]+", "", text)


@lru_cache(maxsize=16384)
def squash(text: str) -> str:
    """For matching: whitespace and pinyin glosses `(biāo)` out, traditional vocabulary simplified."""
    return _PINYIN_RE.sub("", compact(text)).translate(_TRAD)


def squash_offsets(text: str) -> tuple[str, list[int]]:
    """`squash(text)` with, for each character kept, its offset in `text`."""
    dropped = {k for m in _PINYIN_RE.finditer(text) for k in range(m.start(), m.end())}
    kept = [k for k, ch in enumerate(text) if k not in dropped and not re.match(r"[\s\u3000\xa0]", ch)]
    return "".join(text[k] for k in kept).translate(_TRAD), kept


_WEIGHT_SUFFIX_RE = re.compile(
    r"(?:[（(]|(?<=指标))\s*(\d+(?:\.\d+)?)\s*分?\s*[)）]?$|^\s*(\d+(?:\.\d+)?)\s*分\s*[)）]$"
)

# Column kinds of the indicator table, checked in order (the first pattern that matches wins).
_INDICATOR_COLUMNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("group", re.compile(r"^(绩效指标|年度绩效指标(完成情况)?|本年度绩效指标|绩效目标|年度绩效目标)$")),
    ("level1", re.compile(r"一级指标$|^评价指标$")),
    ("level2", re.compile(r"^二级指标$")),
    ("name", re.compile(r"^(三级指标|指标名称|指标内容|具体指标|绩效指标名称)$")),
    ("deduct", re.compile(r"^扣分$")),
    ("converted", re.compile(r"折算得分$|^折算分$")),
    (
        "weight",
        re.compile(
            r"^(分值|指标分值|权重|权重(占比)?[(（]%[)）]|权重占比|分值[(（]\d+分[)）]|标准分值|满分)$"
        ),
    ),
    ("score", re.compile(r"^(得分|自评得分|自评|实际得分|评价得分|单项指标得分)$")),
    ("unit", re.compile(r"^(度量单位|计量单位|单位)$")),
    (
        "actual",
        re.compile(
            r"(实际完成值|实际值|完成值|实际完成指标值|实际完成情况|完成情况值|实现值)([(（][A-Za-z][)）])?$"
        ),
    ),
    (
        "target",
        re.compile(
            r"(指标值|目标值|指标值及单位|指标[(（]目标[)）]值|预期指标值)([(（][A-Za-z][)）]|[(（][^)）]*[)）])?$"
        ),
    ),
    ("deviation", re.compile(r"(偏差原因|未完成原因|差异的原因|原因分析|改进措施)")),
    (
        "other",
        re.compile(
            r"^(指标性质|(单项指标)?完成情况$|单位[(（]|评分标准|指标解释说明|备注|绩效标准|指标标准或依据|得分计算方法|评价等级|符号|评价标准|评价依据|指标说明)"
        ),
    ),
)

_FUNDING_COLUMNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("budget_initial", re.compile(r"^年初预算(数|资金总额)")),
    (
        "budget_full_year",
        re.compile(
            r"^(全年预算数|调整后预算数|预算数|全年预算|转移支付预算数|预算安排数|金额[(（]|计划安排资金)"
        ),
    ),
    ("executed", re.compile(r"^(全年执行数|执行数|实际支出|全年支出数|实际投入资金额|转移支付执行数)")),
    ("received", re.compile(r"^(实际到位资金|资金到位数|实际到位数|到位资金|到位数)")),
    ("execution_rate", re.compile(r"^(预算)?执行率")),
    ("weight", re.compile(r"^分值")),
    ("score", re.compile(r"^得分")),
)

FUNDING_TOTAL_RE = re.compile(
    r"(资金总额|财政资金总额|^合计|^总计|预算金额|^项目金额|^项目总投资|预算申报数|^预算数)"
)
FUNDING_LABEL_RE = re.compile(
    r"(资金总额|合计|其中|拨款|资金|结转|财政|补助|收入|小计|预算|基金|其他|其它|投资|地方|中央|省级|市级|县级)"
)
END_RE = re.compile(
    r"^(总分|合计|总计|序号|财政部门|填表人|审核意见|单位负责人|联系人|备注[:：])|盖章|填报日期|审核意见"
)

_LEVEL1_RE = re.compile(
    r"^(项目)?(产出|效益|效果|满意度|投入|过程|决策|管理|完成|项目完成|项目效益|项目产出|项目决策|项目管理"
    r"|履职|运行|社会效应|可持续发展能力|前期工作)(指标|效果)?$"
)
_LEVEL2_RE = re.compile(
    r"^(产出)?(数量|质量|时效|成本|经济效益|社会效益|生态效益|环境效益|可持续影响|服务对象满意度|满意度|社会公众或服务对象满意度"
    r"|经济成本|社会成本|生态环境成本|产出数量|产出质量|产出时效|产出成本|投入管理|财务管理|项目实施|业务管理)(指标)?$"
)


@lru_cache(maxsize=16384)
def strip_category_weight(text: str) -> str:
    """`产出指标(50分)` → `产出指标`; `产 出 指 标` → `产出指标` (characters kept as written)."""
    body = compact(text)
    return re.sub(
        r"[（(]\s*\d+(?:\.\d+)?\s*分?\s*[)）]?$|(?<=指标)\d+(?:\.\d+)?分?[)）]$|^\d+(?:\.\d+)?分?[)）]$",
        "",
        body,
    )


@lru_cache(maxsize=16384)
def category_weight(text: str) -> float | None:
    """The weight a category cell declares (`产出指标(50分)` → 50), or None."""
    m = _WEIGHT_SUFFIX_RE.search(squash(text))
    if not m:
        return None
    return float(m.group(1) or m.group(2))


@lru_cache(maxsize=16384)
def is_level1(text: str) -> bool:
    body = squash(strip_category_weight(text))
    return bool(_LEVEL1_RE.match(body)) or (not body and category_weight(text) is not None)


@lru_cache(maxsize=16384)
def is_level2(text: str) -> bool:
    return bool(_LEVEL2_RE.match(squash(strip_category_weight(text))))


@lru_cache(maxsize=16384)
def column_kind(text: str) -> str | None:
    """The indicator-table column a header cell names, or None for a cell that is no header."""
    body = squash(text)
    if not body or len(body) > 24:
        return None
    body = re.sub(r"^\d+[.、]", "", body)
    for kind, pattern in _INDICATOR_COLUMNS:
        if pattern.search(body):
            return kind
    return None


def funding_kind(text: str) -> str | None:
    """The funding-table column a header cell names (budget, executed, rate, weight, score)."""
    body = squash(text)
    if not body or len(body) > 24:
        return None
    for kind, pattern in _FUNDING_COLUMNS:
        if pattern.search(body):
            return kind
    return None
