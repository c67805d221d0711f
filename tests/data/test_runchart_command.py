from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def run(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("runchart", "--input", str(path), *args, stdout=out)
    return out.getvalue()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "series.csv"
    path.write_text(text)
    return path


SHIFTED = "date,value\n" + "".join(
    f"2024-01-{day:02d},{value}\n"
    for day, value in enumerate([3, 7, 2, 8, 4, 6, 1, 9, 12, 13, 14, 15, 16, 17, 18, 19], 1)
)


def test_it_works(tmp_path):
    out = run(write(tmp_path, SHIFTED), "--freeze", "8")
    assert "Median: 5" in out
    assert "Longest run: 9 (signals above 7)" in out
    assert "Signal: Points 8 to 16 are 9 in a row" in out


def test_it_prints_json(tmp_path):
    chart = json.loads(run(write(tmp_path, SHIFTED), "--format", "json", "--rules", "ihi"))
    assert chart["centre"] == 10.5 and chart["chart"] == "run"
    assert [s["rule"] for s in chart["signals"]] == ["shift", "shift", "trend", "astronomical"]
    # the values 2, 1 and 19 lie outside the usual range (the XmR limits of all points)
    assert chart["signals"][-1]["points"] == [2, 6, 15]


def test_it_reads_a_baseline_column(tmp_path):
    path = write(tmp_path, "value,baseline\n1,yes\n3,yes\n10,no\n")
    assert "Median: 2" in run(path)


def test_it_says_when_there_is_no_signal(tmp_path):
    path = write(tmp_path, "value\n3\n7\n2\n8\n4\n6\n1\n9\n5\n")
    assert "No signal" in run(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("value\n1\nabc\n", "Row 3, column `value`: 'abc' is not a number"),
        ("date,value\n2024-01-01,1\n01/02/2024,2\n", "Row 3, column `date`"),
        ("value,baseline\n1,yes\n2,maybe\n", "Row 3, column `baseline`"),
        ("amount\n1\n2\n", "has no `value` column (it has amount)"),
        ("value\n", "has no rows"),
        ("value\nNA\n\n", "the baseline has no values"),
    ],
)
def test_it_refuses_bad_files(tmp_path, text, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(write(tmp_path, text))


def test_it_reads_an_xmr_chart_against_the_mean(tmp_path):
    path = write(tmp_path, "value\n10\n12\n10\n12\n30\n")
    out = run(path, "--chart", "xmr", "--freeze", "4")
    assert "Mean: 11" in out and "Limits: 5.68" in out
    assert "Signal: Points outside the control limits (5)" in out


def test_it_reads_a_p_chart_from_counts_and_sizes(tmp_path):
    rows = "".join(f"{c},50\n" for c in [10, 12, 9, 11, 10, 13, 30])
    chart = json.loads(
        run(write(tmp_path, "count,size\n" + rows), "--chart", "p", "--format", "json")
    )
    assert chart["chart"] == "p" and chart["centre"] == pytest.approx(95 / 350)
    assert chart["limits"][0]["upper"] == pytest.approx(
        95 / 350 + 3 * (95 / 350 * 255 / 350 / 50) ** 0.5
    )
    assert [(s["rule"], s["points"]) for s in chart["signals"]] == [("outside_limits", [6])]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("value\n1\n", "has no `count` column (it has value)"),
        ("count,size\n3,0\n", "Row 2, column `size`: 0 is not more than 0"),
        ("count,size\n3,2\n", "Row 2, column `count`: 3 is not between 0 and 2"),
    ],
)
def test_it_refuses_bad_p_chart_files(tmp_path, text, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(write(tmp_path, text), "--chart", "p")


def test_it_refuses_a_freeze_past_the_end(tmp_path):
    with pytest.raises(CommandError, match="between 1 and 2"):
        run(write(tmp_path, "value\n1\n2\n"), "--freeze", "5")
