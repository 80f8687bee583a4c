"""`nlp-service check FILE` prints the findings and exits 1 when one reaches `--fail-on`."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nlp_service.cli import app, main
from nlp_service.cli.check_cmd import FailOn, fails
from nlp_service.schema import FindingPublic

SEED = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "seed" / "zy-jiwei-2022-xuncha.txt"
CONSISTENT = "本项目预算收入55万元，全年支出55万元。"
WARNING_ONLY = "义务教育阶段在校生45597人，其中小学31107人，初中14546人，特殊教育学校56人。"

runner = CliRunner()


def _finding(severity: str) -> FindingPublic:
    return FindingPublic(id="f1", code="total_mismatch", severity=severity, message="合计不符")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("severities", "fail_on", "expected"),
    [
        (["error"], FailOn.error, True),
        (["warning"], FailOn.error, False),
        (["warning"], FailOn.warning, True),
        (["error"], FailOn.warning, True),
        (["info"], FailOn.warning, False),
        (["error"], FailOn.never, False),
        ([], FailOn.warning, False),
    ],
)
def test_check_cli_fails_when_a_finding_reaches_the_threshold(
    severities: list[str], fail_on: FailOn, expected: bool
) -> None:
    assert fails([_finding(s) for s in severities], fail_on) is expected


@pytest.mark.parametrize(
    ("args", "exit_code", "shown"),
    [
        ([], 1, "overall_score_mismatch"),
        (["--fail-on", "never"], 0, "score_sum_mismatch"),
        (["--fail-on", "warning"], 1, "category_weight_mismatch"),
    ],
)
def test_check_cli_seed_findings_and_exit_status(args: list[str], exit_code: int, shown: str) -> None:
    result = runner.invoke(app, ["check", str(SEED), *args])
    assert result.exit_code == exit_code, result.output
    assert shown in result.output and "99.5分" in result.output


@pytest.mark.parametrize(
    ("text", "args", "exit_code", "shown"),
    [
        (CONSISTENT, [], 0, "未发现不一致"),
        (WARNING_ONLY, [], 0, "total_mismatch"),
        (WARNING_ONLY, ["--fail-on", "warning"], 1, "total_mismatch"),
    ],
    ids=["consistent", "warning_passes_by_default", "warning_fails_on_warning"],
)
def test_check_cli_narrative_only_reports(
    tmp_path: Path, text: str, args: list[str], exit_code: int, shown: str
) -> None:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["check", str(path), *args])
    assert result.exit_code == exit_code, result.output
    assert shown in result.output
    assert "以下检查未执行" in result.output  # no table: the note says which checks could not run


def test_check_cli_missing_file_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.txt"
    monkeypatch.setattr(sys, "argv", ["nlp-service", "check", str(missing)])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "nope.txt" in err
