"""Results from a CSV file: every problem named by row and column, and nothing half-saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from headway.audit.models import AuditEvent
from headway.monitor.models import Measure, Point
from headway.plans.models import Cycle
from tests.monitor.conftest import cycle_url, weekly


def upload(client: Client, measure: Measure, text: str | bytes) -> str:
    data = text.encode() if isinstance(text, str) else text
    url = cycle_url("monitor-points-upload", measure.cycle, measure.code)
    response = client.post(url, {"file": SimpleUploadedFile("results.csv", data)}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_it_adds_and_replaces_results_and_says_how_many(
    attendance: Measure, member: Client
) -> None:
    weekly(attendance, [0.80])
    text = "Date,Value,Note\n2025-09-01,90.5,\n2025-09-08,91%,flu week\n2025-09-15,89,\n"
    page = upload(member, attendance, text)
    assert "2 results added, 1 replaced (its date already had a result)" in page
    assert "from Sept. 1, 2025 to Sept. 15, 2025" in page
    stored = Point.objects.order_by("on")
    assert [p.value for p in stored] == pytest.approx([0.905, 0.91, 0.89])
    assert [(p.note, p.source) for p in stored] == [("", "csv"), ("flu week", "csv"), ("", "csv")]
    event = AuditEvent.objects.get(action="monitor.points_uploaded")
    assert event.detail == {"added": 2, "replaced": 1}


def test_a_p_chart_reads_counts_and_sizes(cycle: Cycle, member: Client) -> None:
    measure = Measure.objects.create(cycle=cycle, name="Targets posted", chart=Measure.Chart.P)
    upload(member, measure, "date,count,size\n2025-09-01,12,20\n2025-09-08,15,20\n")
    stored = Point.objects.order_by("on")
    assert [(p.numerator, p.denominator) for p in stored] == [(12, 20), (15, 20)]
    assert [p.value for p in stored] == pytest.approx([0.6, 0.75])


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("day,value\n2025-09-01,90\n", "Row 1 (the header): the column “date” is missing."),
        (
            "date,value\n2025-09-01,90\n2025/09/08,91\n",
            "Row 3, column “date”: “2025/09/08” is not a date written as YYYY-MM-DD",
        ),
        ("date,value\n2025-09-01,abc\n", "Row 2, column “value”: “abc” is not a number."),
        ("date,value\n2025-09-01,\n", "Row 2, column “value” is empty: a number is needed."),
        ("date,value\n,90\n", "Row 2, column “date” is empty: a date written as YYYY-MM-DD"),
        (
            "date,value\n2025-09-01,190\n",
            "Row 2, column “value”: 190 is not a percent between 0 and 100.",
        ),
        (
            "date,value\n2025-09-01,90\n2025-09-01,91\n",
            "Row 3, column “date”: the same date as row 2.",
        ),
        ("date,value\n", "The file has a header but no rows of results."),
        (b"date,value\n2025-09-01,9\xe9\n", "The file is not UTF-8 text"),
        ("date,value\n2025-09-01,90," + "x" * 301 + "\n", "Row 2, column “note”"),
    ],
)
def test_a_bad_file_saves_nothing_and_names_row_and_column(
    attendance: Measure, member: Client, text: str | bytes, problem: str
) -> None:
    if isinstance(text, str) and "x" * 301 in text:
        text = text.replace("date,value", "date,value,note")
    page = upload(member, attendance, text)
    assert "Nothing was saved: please correct the file." in page
    assert problem in page
    assert not Point.objects.exists()


def test_one_bad_row_among_good_ones_saves_nothing(attendance: Measure, member: Client) -> None:
    rows = "".join(f"2025-{9 + k // 4:02d}-{1 + 7 * (k % 4):02d},90\n" for k in range(8))
    page = upload(member, attendance, "date,value\n" + rows + "2025-12-01,ninety\n")
    assert "Row 10, column “value”: “ninety” is not a number." in page
    assert not Point.objects.exists()


def test_a_future_date_is_refused(attendance: Measure, member: Client) -> None:
    later = (timezone.localdate() + timedelta(days=7)).isoformat()
    page = upload(member, attendance, f"date,value\n{later},90\n")
    assert "Row 2, column “date”: A result cannot be dated after today" in page


def test_p_chart_rows_are_checked(cycle: Cycle, member: Client) -> None:
    measure = Measure.objects.create(cycle=cycle, name="Targets posted", chart=Measure.Chart.P)
    page = upload(member, measure, "date,count,size\n2025-09-01,25,20\n2025-09-08,2.5,20\n")
    assert "Row 2, column “count”: 25 is more than its size, 20." in page
    assert "Row 3, column “count”: “2.5” is not a whole number." in page
    page = upload(member, measure, "date,value\n2025-09-01,25\n")
    assert "the column “count” is missing" in page and "the column “size” is missing" in page
    assert not Point.objects.exists()


def test_many_problems_are_listed_up_to_twenty(attendance: Measure, member: Client) -> None:
    rows = "".join(f"2025-09-{day:02d},x\n" for day in range(1, 26))
    page = upload(member, attendance, "date,value\n" + rows)
    assert "Row 21, column “value”" in page and "Row 22," not in page
    assert "… and 5 more problems." in page


def test_the_upload_page_explains_the_columns(attendance: Measure, member: Client) -> None:
    url = cycle_url("monitor-points-upload", attendance.cycle, attendance.code)
    page = member.get(url).content.decode()
    assert "Columns: date, value, and an optional note." in page
    assert "value is a percent from 0 to 100" in page
    response = member.post(url, {})
    assert "CSV file: Choose a CSV file to upload." in response.content.decode()
