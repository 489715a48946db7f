"""`load_seed` is safe to run again: it adds what is missing and never overwrites the office's
changes; only a confirmed `--reset` restores the seed."""

from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from responsibility.models import Alias, Collective, Column, Duty, Unit
from responsibility.services import column_duties_replace
from tasks.models import WorkPoint

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("load_seed", *args, stdout=out)
    return out.getvalue()


def test_running_it_again_keeps_codes_emails_and_collective_members(seed):
    unit = Unit.objects.get(name="区教育局")
    unit.code = "430102007"
    unit.email = "jyj@furong.example"
    unit.save()
    streets = Collective.objects.get(name="各街道")
    extra = [Unit.objects.create(name=f"新设街道{n}", kind=Unit.Kind.SUBDISTRICT, order=200 + n) for n in range(3)]
    streets.members.add(*extra)
    members_before = set(streets.members.values_list("pk", flat=True))

    output = run()

    unit.refresh_from_db()
    assert (unit.code, unit.email) == ("430102007", "jyj@furong.example")
    assert set(streets.members.values_list("pk", flat=True)) == members_before
    assert "已补充 0 条记录" in output


def test_an_edited_columns_duties_stay_as_the_office_rebuilt_them(seed):
    column = Column.objects.filter(responsibility_text__contains="区教育局").first()
    column_duties_replace(column=column, responsibility_text="区财政局")
    run()
    column.refresh_from_db()
    assert column.responsibility_text == "区财政局"
    assert [duty.printed_name for duty in Duty.objects.filter(column=column)] == ["区财政局"]


def test_a_deleted_seed_row_comes_back_and_new_rows_do_not_clash(seed):
    alias = Alias.objects.order_by("pk").first()
    name = alias.name
    alias.delete()
    assert "已补充 1 条记录" in run()
    assert Alias.objects.filter(name=name).exists()
    assert Unit.objects.create(name="办公室新增单位", order=999).pk  # the sequence moved past the seed's ids


def test_work_points_the_office_changed_are_kept(seed):
    point = WorkPoint.objects.order_by("pk").first()
    point.title = "办公室改过的标题"
    point.save()
    run()
    point.refresh_from_db()
    assert point.title == "办公室改过的标题"


def test_reset_asks_for_confirmation_and_restores_the_seed(seed):
    unit = Unit.objects.get(name="区教育局")
    unit.email = "jyj@furong.example"
    unit.save()
    with mock.patch("builtins.input", return_value="no"), pytest.raises(CommandError):
        run("--reset")
    unit.refresh_from_db()
    assert unit.email == "jyj@furong.example"
    with mock.patch("builtins.input", return_value="yes"):
        run("--reset")
    unit.refresh_from_db()
    assert unit.email == ""


def test_reset_without_a_terminal_needs_no_input_flag(seed):
    Unit.objects.filter(name="区教育局").update(email="x@furong.example")
    run("--reset", "--no-input")
    assert Unit.objects.get(name="区教育局").email == ""
