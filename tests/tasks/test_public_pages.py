"""The foundation's public pages: the column tree and the 20 work points."""

import pytest
from django.urls import reverse

from responsibility.models import Column, Unit
from tasks.models import WorkPoint

pytestmark = pytest.mark.django_db


def test_home_shows_every_column_with_its_responsible_units(client, seed, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get(reverse("disclosure:home"))
    page = response.content.decode()
    for column in Column.objects.all():
        assert column.title in page
        if column.responsibility_text:
            for duty in column.duties.all():
                assert duty.printed_name in page


def test_work_point_list_shows_sections_points_and_units(client, seed, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get(reverse("tasks:work-points"))
    page = response.content.decode()
    assert "一、深化决策信息和权责清单公开" in page
    for point in WorkPoint.objects.all():
        assert point.title in page
    assert "长沙供电公司" in page


@pytest.mark.parametrize("number", [1, 12, 16, 20])
def test_each_work_point_has_a_page_with_its_full_text(client, seed, number):
    point = WorkPoint.objects.get(number=number)
    response = client.get(reverse("tasks:work-point", args=(number,)))
    assert response.status_code == 200
    assert point.text in response.content.decode()


def test_unknown_work_point_is_404(client, seed):
    assert client.get("/work-points/21/").status_code == 404


def test_unit_page_lists_columns_held_through_collectives(client, seed):
    street = Unit.objects.get(name="马王堆街道办事处")
    page = client.get(street.get_absolute_url()).content.decode()
    assert "依申请公开" in page  # 五 names 各街道办事处
    assert "隆平高科技园、街道（局）信息公开年报" in page
