"""The fixtures reproduce the seed document: every title, text, unit and note."""

import difflib
import re

import pytest

from responsibility.models import Column, Duty
from responsibility.services import party_resolve, responsibility_text_split
from tasks.models import PlanDocument, WorkPoint, WorkPointParty
from tasks.services import units_clause_parse
from tests.seed_text import attachment_text, document_text, seed_parts

pytestmark = pytest.mark.django_db


def assert_same_text(actual: str, expected: str) -> None:
    if actual != expected:
        matcher = difflib.SequenceMatcher(a=expected, b=actual, autojunk=False)
        differences = [
            f"seed[{i1}:{i2}]={expected[i1:i2]!r} fixtures={actual[j1:j2]!r}"
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()
            if tag != "equal"
        ]
        pytest.fail("fixtures differ from the seed: " + "; ".join(differences[:10]))


@pytest.fixture
def plan(seed):
    return PlanDocument.objects.get(doc_number="芙政办发〔2020〕13号")


def test_notice_and_all_work_points_reproduce_the_seed(plan):
    seed_body, _ = seed_parts()
    assert_same_text(document_text(plan), seed_body)


def test_attachment_table_reproduces_the_seed(plan):
    _, seed_attachment = seed_parts()
    assert_same_text(attachment_text(plan), seed_attachment)


def test_plan_has_five_sections_and_twenty_points(plan):
    assert plan.sections.count() == 5
    assert list(WorkPoint.objects.filter(section__document=plan).values_list("number", flat=True)) == list(
        range(1, 21)
    )
    assert str(plan.issued_on) == "2020-06-12"


def test_column_tree_has_48_nodes_in_three_levels(seed):
    assert Column.objects.count() == 48
    assert Column.objects.roots().count() == 7
    assert Column.objects.filter(level=3).count() == 10
    assert sorted(Column.objects.roots().values_list("number", flat=True)) == sorted("一二三四五六七")


@pytest.mark.parametrize("number", range(1, 21))
def test_point_title_is_the_first_sentence_and_clause_closes_the_text(seed, number):
    point = WorkPoint.objects.get(number=number)
    assert point.text.startswith(point.title + "。")
    if point.units_clause:
        assert point.text.endswith(f"（{point.units_clause}）")
    else:
        assert number in (16, 19, 20)
        assert not point.parties.exists()


def test_every_work_point_party_is_the_clause_word_for_word(seed):
    for point in WorkPoint.objects.prefetch_related("parties__unit", "parties__collective"):
        parties = list(point.parties.all())
        expected = units_clause_parse(point.units_clause) if point.units_clause else []
        assert [(party.printed_name, party.role) for party in parties] == expected, point
        for party in parties:
            assert party_resolve(party.printed_name) == party.party


def test_every_duty_is_the_table_cell_word_for_word(seed):
    for column in Column.objects.prefetch_related("duties__unit", "duties__collective"):
        duties = list(column.duties.all())
        assert [duty.printed_name for duty in duties] == responsibility_text_split(column.responsibility_text)
        for duty in duties:
            assert party_resolve(duty.printed_name) == duty.party


def test_aliases_make_each_real_unit_exist_once(seed):
    assert party_resolve("区市场监管局") == party_resolve("区市场监督管理局")
    assert party_resolve("区医保局") == party_resolve("区医疗保障局")
    assert party_resolve("区交通局") == party_resolve("区交通运输局")
    assert party_resolve("隆平高科技园") == party_resolve("隆平高科技园管委会")
    assert party_resolve("区城管局") == party_resolve("区城管执法局")
    assert party_resolve("各街道办事处") == party_resolve("各街道")


def test_roles_are_recorded_as_the_seed_words_them(seed):
    point_12 = WorkPoint.objects.get(number=12)
    assert set(point_12.parties.values_list("role", flat=True)) == {WorkPointParty.Role.BY_DIVISION}
    assert point_12.parties.count() == 14
    point_14 = WorkPoint.objects.get(number=14)
    assert point_14.parties.get(printed_name="各公共企事业单位").role == WorkPointParty.Role.RESPONSIBLE
    assert point_14.parties.filter(role=WorkPointParty.Role.LEAD).count() == 8


# --- The comparison notices a single character ------------------------------------------


def test_one_character_dropped_from_a_work_point_is_detected(plan):
    seed_body, _ = seed_parts()
    point = WorkPoint.objects.get(number=7)
    WorkPoint.objects.filter(pk=point.pk).update(text=point.text.replace("黑名单", "黑名", 1))
    assert document_text(plan) != seed_body


def test_one_character_changed_in_a_column_note_is_detected(plan):
    _, seed_attachment = seed_parts()
    Column.objects.filter(note="区属学校").update(note="区属学")
    assert attachment_text(plan) != seed_attachment


def test_one_character_changed_in_a_duty_is_detected(seed):
    duty = Duty.objects.get(printed_name="区征收办")
    Duty.objects.filter(pk=duty.pk).update(printed_name="区征收")
    column = Column.objects.get(pk=duty.column_id)
    assert [d.printed_name for d in column.duties.all()] != responsibility_text_split(column.responsibility_text)


def test_one_character_changed_in_a_unit_name_breaks_resolution(seed):
    from django.core.exceptions import ValidationError

    from responsibility.models import Unit

    Unit.objects.filter(name="区统计局").update(name="区统计")
    with pytest.raises(ValidationError):
        party_resolve(Duty.objects.get(column__title="统计信息").printed_name)


def test_seed_copy_in_the_repository_is_the_shared_seed():
    from pathlib import Path

    from tests.seed_text import SEED_PATH

    shared = Path(__file__).resolve().parents[3] / "shared" / "seed" / SEED_PATH.name
    if not shared.exists():
        pytest.skip("../shared is not beside this checkout")
    assert SEED_PATH.read_bytes() == shared.read_bytes()


def test_normalisation_keeps_meaningful_characters():
    from tests.seed_text import normalise

    assert normalise("（一） 国务院令 第 711 号") == "(一)国务院令第711号"
    assert re.sub(r"\s", "", "芙蓉区 2020 年") == normalise("芙蓉区2020年")
