"""The district office's pages on the small hand-counted plan (`conftest.played`); that
plan is the newest, so the dashboards show it. Today every one of its tasks is past due."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from responsibility.models import AuditEvent
from tasks.models import Task, WorkPoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_client(actors):
    client = Client()
    client.force_login(actors[1])
    return client


def get(client, name, **params):
    response = client.get(reverse(f"admin:{name}"), params)
    assert response.status_code == 200
    return response


def test_dashboard_totals_charts_and_risk(played, office_client):
    response = get(office_client, "tasks_office")
    totals = response.context["totals"]
    assert (totals.total, totals.done, totals.in_review, totals.returned, totals.overdue) == (6, 3, 1, 1, 3)
    assert totals.percent == 50
    page = response.content.decode()
    assert page.count('<svg class="chart"') == 2 and "各板块完成度" in page and "一、第一板块：50%" in page
    assert response.context["risk"].failing  # no item anywhere: every seed column is empty
    assert page.count("<h1") == 1


def test_matrix_cells_link_to_the_tasks(played, office_client):
    response = get(office_client, "tasks_office_matrix")
    rows = {row.unit.name: row for row in response.context["matrix"].rows}
    assert list(rows) == ["甲单位", "乙单位", "丙单位", "丁单位"]
    page = response.content.decode()
    task = played.task(played.p2, played.d)
    assert f'href="{reverse("admin:tasks_task_change", args=(task.pk,))}"' in page
    assert page.count('class="state-done"') == 3 and page.count('class="no-task"') == 12 - 6


def test_scorecards_for_every_active_unit(played, office_client):
    response = get(office_client, "tasks_office_scorecards")
    cards = {card.unit.name: card for card in response.context["scorecards"]}
    b = cards["乙单位"]
    assert (b.tasks.total, b.tasks.done, b.tasks.in_review, b.tasks.overdue, b.tasks.done_percent) == (2, 1, 1, 1, 50)
    assert len(cards) == 51 + 4  # the seed's units and the four of the small plan


def test_overdue_list_sorts_by_unit_and_days(played, office_client):
    response = get(office_client, "tasks_office_overdue", o="unit")
    assert [(t.unit.name, days > 0) for t, days in response.context["rows"]] == [
        ("乙单位", True), ("丙单位", True), ("丁单位", True),
    ]
    response = get(office_client, "tasks_office_overdue", o="-days")
    assert [t.unit.name for t, _days in response.context["rows"]][0] in {"乙单位", "丙单位"}  # due 2025-06-30
    assert response.context["rows"][-1][0].unit.name == "丁单位"  # due 2025-12-31
    assert get(office_client, "tasks_office_overdue", o="nonsense").context["order"] == "-days"


def test_column_page_lists_empty_and_stale_columns_with_units(played, office_client):
    response = get(office_client, "tasks_office_columns")
    page = response.content.decode()
    assert len(response.context["freshness"].empty) == 41
    assert "空白栏目（41 个）" in page and "否决" in page and "至少需整改 37 个" in page
    assert "区农业农村局" in page


def test_export_holds_the_matrix_and_the_scorecards_and_is_audited(played, office_client, actors):
    response = get(office_client, "tasks_office_export")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(BytesIO(response.content))
    matrix, cards = workbook["完成情况矩阵"], workbook["单位记分卡"]
    assert [cell.value for cell in matrix[2]][:3] == ["甲单位", "已完成", None]
    assert [cell.value for cell in matrix[3]][:3] == ["乙单位", "待审核", "已完成"]
    assert [cell.value for cell in matrix[6]] == ["要点完成度（%）", 33, 67, "未分解任务"]
    rows = {row[0]: row for row in cards.iter_rows(min_row=2, values_only=True) if row and row[0]}
    assert rows["乙单位"][:7] == ("乙单位", 2, 1, 1, 0, 1, 50)
    event = AuditEvent.objects.get(action=AuditEvent.Action.DATA_EXPORTED)
    assert event.actor == actors[1]


def test_due_date_action_changes_due_dates_and_refuses_a_date_before_the_plan(played, office_client):
    url = reverse("admin:tasks_task_changelist")
    tasks = list(Task.objects.filter(work_point=played.p2).values_list("pk", flat=True))
    form = office_client.post(url, {"action": "due_on_change", "_selected_action": tasks})
    assert form.status_code == 200 and "新的截止日期" in form.content.decode()
    office_client.post(url, {"action": "due_on_change", "_selected_action": tasks, "apply": "1", "due_on": "2025-01-01"})
    assert set(Task.objects.filter(pk__in=tasks).values_list("due_on", flat=True)) == {date(2025, 12, 31)}
    office_client.post(url, {"action": "due_on_change", "_selected_action": tasks, "apply": "1", "due_on": "2027-03-31"})
    assert set(Task.objects.filter(pk__in=tasks).values_list("due_on", flat=True)) == {date(2027, 3, 31)}


def test_lead_weight_is_set_in_the_admin_and_changes_completion(played, office_client):
    setting = played.p2.setting
    url = reverse("admin:tasks_workpointsetting_changelist")
    data = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": setting.pk,
            "form-0-lead_weight": "3", "_save": "保存"}
    office_client.post(url, data)
    setting.refresh_from_db()
    assert setting.lead_weight == Decimal(3)
    progress = {p.point.number: p for p in get(office_client, "tasks_office").context["progress"]}
    assert progress[2].percent == 80


def test_the_office_syncs_tasks_from_the_work_point_admin(played, office_client):
    played.p1.tasks.filter(unit=played.c).delete()  # not started, so it may go
    office_client.post(
        reverse("admin:tasks_workpoint_changelist"),
        {"action": "tasks_sync", "_selected_action": [played.p1.pk, played.p2.pk]},
    )
    assert WorkPoint.objects.get(pk=played.p1.pk).tasks.filter(unit=played.c).exists()


def test_export_writes_a_formula_leading_unit_name_as_text(played, office_client):
    from responsibility.models import Unit

    Unit.objects.filter(name="甲单位").update(name="=1+1甲单位")
    workbook = load_workbook(BytesIO(get(office_client, "tasks_office_export").content))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    assert workbook["完成情况矩阵"]["A2"].value == "'=1+1甲单位"
