"""Importing a year's 工作要点 from its text: the seed rebuilds the 2020 fixtures
exactly, and a changed edition is previewed, resolved and written."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from responsibility.models import Alias, Collective, Unit
from responsibility.services import NameMapping, party_resolve
from tasks.models import PlanDocument, Task, WorkPoint, WorkPointParty
from responsibility.services import NameChoice
from tasks.services.plan_import import plan_import, plan_preview
from tasks.plan_text import chinese_numeral_value, plan_text_parse
from tasks.services import plan_tasks_sync
from tests.tasks.plan_editions import edition_2021, seed_edition

pytestmark = pytest.mark.django_db

PLAN_FIELDS = (
    "title", "plan_title", "doc_number", "issuer", "header", "addressees", "notice_text", "issued_on",
    "printed_on", "preamble", "attachment_title", "year",
)


def plan_snapshot(plan: PlanDocument) -> dict:
    """Everything the fixtures say about a plan, its points, their units and tasks."""
    points = WorkPoint.objects.filter(section__document=plan)
    return {
        "plan": {name: getattr(plan, name) for name in PLAN_FIELDS},
        "sections": list(plan.sections.values_list("number", "order", "title")),
        "points": list(points.values_list("section__number", "number", "title", "text", "units_clause")),
        "parties": list(
            WorkPointParty.objects.filter(work_point__in=points)
            .order_by("work_point__number", "position")
            .values_list("work_point__number", "position", "role", "unit", "collective", "printed_name")
        ),
        "tasks": sorted(
            Task.objects.filter(work_point__in=points).values_list(
                "work_point__number", "unit", "role", "assigned_as", "due_on", "state"
            )
        ),
    }


def delete_plan(plan: PlanDocument) -> None:
    Task.objects.for_plan(plan).delete()
    plan.delete()


@pytest.fixture
def fixture_2020(seed):
    plan = PlanDocument.objects.get(year=2020)
    plan_tasks_sync(plan=plan)
    return plan


def rename_choices() -> dict[str, NameChoice]:
    return {
        "区数据资源局": NameChoice(NameMapping.RENAME, Unit.objects.get(name="区数据资源中心")),
        "区直各相关单位": NameChoice(NameMapping.ALIAS, Collective.objects.get(name="区直各有关单位")),
    }


# --- The seed is the test ---------------------------------------------------------


def test_seed_text_reproduces_the_2020_fixtures_points_parties_and_tasks_exactly(fixture_2020):
    expected = plan_snapshot(fixture_2020)
    delete_plan(fixture_2020)

    result = plan_import(text=seed_edition())

    assert plan_snapshot(result.plan) == expected
    assert result.tasks.created == len(expected["tasks"]) > 600
    assert result.registered == []


def test_seed_preview_resolves_every_name_and_writes_nothing(fixture_2020):
    delete_plan(fixture_2020)
    preview = plan_preview(text=seed_edition())

    assert preview.unresolved == [] and preview.errors == [] and preview.can_confirm
    assert [len(section.points) for section in preview.parsed.sections] == [3, 5, 6, 1, 5]
    assert preview.party_count == WorkPointParty.objects.count() + 98
    assert not PlanDocument.objects.exists()


def test_seed_preview_finds_the_deadline_point_15_names(seed):
    Task.objects.all().delete()
    PlanDocument.objects.all().delete()
    points = {entry.point.number: entry for entry in plan_preview(text=seed_edition()).points}
    assert points[15].deadlines == [date(2020, 12, 31)] == [points[15].due_on]
    assert points[1].deadlines == [] and points[1].due_on == date(2020, 12, 31)


def test_seed_cannot_be_imported_twice(fixture_2020):
    preview = plan_preview(text=seed_edition())
    assert preview.errors == ["2020 年的工作要点已导入（芙蓉区2020年政务公开工作要点（芙政办发〔2020〕13号）），不能重复导入。"]
    with pytest.raises(ValidationError):
        plan_import(text=seed_edition())
    assert PlanDocument.objects.count() == 1


# --- A changed edition --------------------------------------------------------------


def test_changed_edition_preview_lists_the_unknown_names_once(fixture_2020):
    preview = plan_preview(text=edition_2021())

    assert preview.parsed.year == 2021 and preview.parsed.doc_number == "芙政办发〔2021〕8号"
    assert preview.parsed.issued_on == date(2021, 3, 5)
    assert len(preview.points) == 21
    assert preview.unresolved == ["区数据资源局", "区直各相关单位"]
    assert preview.errors == [] and not preview.can_confirm
    point_21 = preview.points[-1]
    assert point_21.section.number == "五"
    assert [(party.printed_name, party.role, party.party) for party in point_21.parties] == [
        ("区数据资源局", "lead", None),
        ("各街道", "implement", Collective.objects.get(name="各街道")),
    ]
    assert point_21.deadlines == [date(2021, 9, 30)] == [point_21.due_on]
    point_3 = preview.points[2]
    assert point_3.parties[-1].party == Collective.objects.get(name="区直各部门")
    assert PlanDocument.objects.count() == 1


def test_changed_edition_preview_with_choices_can_be_confirmed(fixture_2020):
    preview = plan_preview(text=edition_2021(), choices=rename_choices())

    assert preview.unresolved == [] and preview.can_confirm
    lead = preview.points[0].parties[0]
    assert lead.chosen and lead.party == Unit.objects.get(name="区数据资源中心")
    assert not Alias.objects.filter(name="区直各相关单位").exists()


def test_changed_edition_is_not_written_while_a_name_is_unknown(fixture_2020):
    with pytest.raises(ValidationError, match="区数据资源局"):
        plan_import(text=edition_2021())
    assert not PlanDocument.objects.filter(year=2021).exists()


def test_changed_edition_writes_the_plan_its_units_and_tasks(fixture_2020):
    before_2020 = plan_snapshot(fixture_2020)
    centre = Unit.objects.get(name="区数据资源中心")

    result = plan_import(text=edition_2021(), choices=rename_choices())

    centre.refresh_from_db()
    assert centre.name == "区数据资源局"
    assert party_resolve("区数据资源中心") == centre  # the 2020 plan still reads
    assert party_resolve("区直各相关单位") == Collective.objects.get(name="区直各有关单位")
    assert result.registered == ["区数据资源局", "区直各相关单位"]
    plan = result.plan
    assert (plan.year, plan.doc_number, plan.issued_on) == (2021, "芙政办发〔2021〕8号", date(2021, 3, 5))
    point_21 = WorkPoint.objects.get(section__document=plan, number=21)
    assert point_21.units_clause == "区数据资源局牵头，各街道落实"
    street_ids = set(Collective.objects.get(name="各街道").members.filter(is_active=True).values_list("pk", flat=True))
    assert set(point_21.tasks.values_list("unit", flat=True)) == street_ids | {centre.pk}
    assert point_21.tasks.get(unit=centre).role == "lead"
    assert set(point_21.tasks.values_list("due_on", flat=True)) == {date(2021, 9, 30)}
    point_3 = WorkPoint.objects.get(section__document=plan, number=3)
    departments = Collective.objects.get(name="区直各部门")
    assert point_3.parties.filter(collective=departments).exists()
    assert set(departments.members.filter(is_active=True).values_list("pk", flat=True)) <= set(
        point_3.tasks.values_list("unit", flat=True)
    )
    # The 2020 plan is untouched, apart from the unit's new name.
    assert plan_snapshot(fixture_2020) == before_2020


def test_a_failing_choice_leaves_nothing_written(fixture_2020):
    choices = {**rename_choices(), "区直各相关单位": NameChoice(NameMapping.RENAME, Collective.objects.get(name="各街道"))}
    with pytest.raises(ValidationError, match="只有单位可以更名"):
        plan_import(text=edition_2021(), choices=choices)
    assert Unit.objects.filter(name="区数据资源中心").exists()
    assert not PlanDocument.objects.filter(year=2021).exists()


def test_new_unit_choice_creates_the_unit(fixture_2020):
    choices = {
        "区数据资源局": NameChoice(NameMapping.NEW_UNIT, kind=Unit.Kind.DEPARTMENT),
        "区直各相关单位": NameChoice(NameMapping.ALIAS, Collective.objects.get(name="区直各有关单位")),
    }
    result = plan_import(text=edition_2021(), choices=choices)
    new_unit = Unit.objects.get(name="区数据资源局")
    assert Unit.objects.filter(name="区数据资源中心").exists()
    assert WorkPoint.objects.get(section__document=result.plan, number=21).tasks.filter(unit=new_unit).exists()


# --- The parser on its own ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["", "一份没有发文字号的通知\n\n一、板块\n\n（一）要点。", "芙政办发〔2021〕8号\n\n各单位：\n\n正文\n\n机关\n\n2021年2月30日\n\n标题\n\n导语\n\n一、板块\n\n（一）要点。"],
)
def test_text_that_is_not_a_plan_is_refused_in_words(text):
    with pytest.raises(ValidationError):
        plan_text_parse(text)


def test_points_must_be_numbered_without_gaps():
    text = edition_2021().replace("（二十一）", "（二十二）")
    with pytest.raises(ValidationError, match="连续编号"):
        plan_text_parse(text)


@pytest.mark.parametrize(("numeral", "value"), [("一", 1), ("十", 10), ("十三", 13), ("二十", 20), ("二十一", 21)])
def test_chinese_numerals(numeral, value):
    assert chinese_numeral_value(numeral) == value


def test_half_width_brackets_and_page_breaks_are_read_as_issued():
    parsed = plan_text_parse(seed_edition())
    point_12 = parsed.points[11]
    assert "区农业农村局、区自然资源和规划分局" in point_12.text
    assert point_12.units_clause.endswith("长沙供电公司等部门按职责分工负责")
    assert parsed.points[12].text.startswith("加大公共卫生等突发事件信息公开力度。依法依规、及时准确公布公共卫生")
    assert "；突发事件发生时，主管部门" in parsed.points[12].text
