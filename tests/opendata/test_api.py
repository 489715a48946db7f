"""The read-only API: what it lists, its filters, keyset pagination, ETag, errors."""

import datetime

import pytest
from django.utils import timezone

from tests.disclosure.public_data import column, publish, unit
from tests.opendata.conftest import DAY, catalogue_entry

pytestmark = pytest.mark.django_db

API = "/api/v1"


def get(client, path, **params):
    response = client.get(API + path, params)
    assert response["Content-Type"].startswith("application/json"), response
    return response


def titles(response) -> list[str]:
    return [row["title"] for row in response.json()["results"]]


def test_the_openapi_schema_is_served_and_names_every_endpoint(client, seed):
    schema = get(client, "/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/items", "/api/v1/items/{item_id}", "/api/v1/columns", "/api/v1/columns/{slug}", "/api/v1/units",
        "/api/v1/units/{unit_id}", "/api/v1/work-points", "/api/v1/work-points/{number}", "/api/v1/catalogue",
    }  # fmt: skip


def test_the_api_explorer_loads_swagger_from_our_own_static_files(client, seed):
    page = client.get(API + "/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn" not in page.lower()


def test_items_lists_published_and_withdrawn_items_newest_first_and_nothing_else(client, content):
    rows = get(client, "/items").json()["results"]
    assert [row["title"] for row in rows] == [
        "撤回的扶贫通知", "新扶贫管理办法", "扶贫管理办法解读", "扶贫管理办法",
    ]  # fmt: skip
    withdrawn = rows[0]
    assert withdrawn["status"] == "withdrawn" and withdrawn["withdrawn_reason"] == "内容有误，已重新发布"
    assert withdrawn["index_number"] == content.withdrawn.index_number
    assert withdrawn["doc_number"] is None and withdrawn["theme"] is None


def test_item_metadata_links_only_to_public_documents(client, content):
    rows = {row["title"]: row for row in get(client, "/items").json()["results"]}
    document = rows["扶贫管理办法"]
    assert document["validity"] == "repealed" and document["validity_label"] == "废止"
    assert document["successor_id"] == content.successor.pk and document["doc_number"] == "芙政发〔2020〕1号"
    assert rows["扶贫管理办法解读"]["interprets_id"] == content.document.pk
    content.successor.state = "draft"
    content.successor.save()
    document = {row["title"]: row for row in get(client, "/items").json()["results"]}["扶贫管理办法"]
    assert document["successor_id"] is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "管理办法"}, {"新扶贫管理办法", "扶贫管理办法", "扶贫管理办法解读"}),
        ({"q": "撤回前的正文"}, set()),  # a withdrawn item's body cannot be probed by keywords
        ({"q": "扶贫通知"}, set()),
        ({"validity": "valid"}, {"新扶贫管理办法"}),
        ({"validity": "normative"}, {"新扶贫管理办法", "扶贫管理办法"}),
        ({"status": "withdrawn"}, {"撤回的扶贫通知"}),
        ({"status": "published", "q": "扶贫通知"}, set()),
    ],
)
def test_items_filter_like_the_search_page(client, content, params, expected):
    assert set(titles(get(client, "/items", **params))) == expected


def test_items_filter_by_column_subtree_unit_and_dates(client, content):
    other = publish("3-7", "区财政局", title="预算公开", published_at=timezone.now() - 20 * DAY)
    assert set(titles(get(client, "/items", column=column("3-12").pk))) == {"撤回的扶贫通知"}
    assert titles(get(client, "/items", unit=unit("区财政局").pk)) == ["预算公开"]
    day = timezone.localdate(other.published_at)
    assert titles(get(client, "/items", start=day, end=day)) == ["预算公开"]
    assert "预算公开" not in titles(get(client, "/items", start=day + datetime.timedelta(days=1)))


@pytest.mark.parametrize(
    "params",
    [
        {"unit": "x"}, {"start": "2020-13-01"}, {"limit": 0}, {"limit": 101}, {"theme": "nope"},
        {"cursor": "not-a-cursor"}, {"cursor": "12-"}, {"unit": 2**70}, {"q": "扶" * 101},
    ],
)
def test_bad_parameters_answer_400_with_a_reason(client, content, params):
    response = get(client, "/items", **params)
    assert response.status_code == 400 and response.json()["detail"]


@pytest.mark.parametrize("params", [{"start": "0001-01-01"}, {"end": "9999-12-31"}, {"start": "9999-12-31"}])
def test_dates_at_the_ends_of_the_calendar_are_answered(client, content, params):
    assert get(client, "/items", **params).status_code == 200


def test_a_column_or_unit_that_does_not_exist_answers_404(client, content):
    assert get(client, "/items", column=999999).status_code == 404
    assert get(client, "/items", unit=999999).status_code == 404


def test_keyset_pagination_walks_every_item_once_in_order(client, content):
    now = timezone.now()
    same_moment = now - 2 * DAY
    for number in range(5):
        publish("3-7", "区财政局", title=f"同一时刻{number}", published_at=same_moment)
    expected = titles(get(client, "/items", limit=100))
    seen, params = [], {"limit": 2}
    for _ in range(10):
        page = get(client, "/items", **params).json()
        seen += [row["title"] for row in page["results"]]
        if not page["next_cursor"]:
            break
        assert page["next"].startswith(API + "/items?") and "limit=2" in page["next"]
        params["cursor"] = page["next_cursor"]
    assert seen == expected and len(seen) == 9


def test_a_new_item_does_not_shift_the_next_page(client, content):
    first = get(client, "/items", limit=2).json()
    publish("3-7", "区财政局", title="翻页时新发布")
    second = get(client, "/items", limit=2, cursor=first["next_cursor"]).json()
    assert [row["title"] for row in second["results"]] == ["扶贫管理办法解读", "扶贫管理办法"]


def test_answers_carry_an_etag_and_a_matching_request_gets_304(client, content):
    response = get(client, "/items")
    etag = response["ETag"]
    assert "public" in response["Cache-Control"] and "must-revalidate" in response["Cache-Control"]
    again = client.get(API + "/items", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    publish("3-7", "区财政局", title="又一条")
    assert client.get(API + "/items", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_item_detail_gives_body_attachments_and_links(client, content):
    detail = get(client, f"/items/{content.document.pk}").json()
    assert detail["successor"]["id"] == content.successor.pk
    assert [link["title"] for link in detail["interpretations"]] == ["扶贫管理办法解读"]
    (attachment,) = detail["attachments"]
    assert attachment["url"] == f"/attachments/{attachment['id']}/" and attachment["size"] > 0
    assert client.get(attachment["url"]).status_code == 200
    assert get(client, f"/items/{content.successor.pk}").json()["predecessors"][0]["id"] == content.document.pk


def test_a_withdrawn_item_answers_410_with_its_number_title_and_reason_and_no_body(client, content):
    response = get(client, f"/items/{content.withdrawn.pk}")
    assert response.status_code == 410
    detail = response.json()
    assert detail["status"] == "withdrawn" and detail["withdrawn_reason"] == "内容有误，已重新发布"
    assert detail["body"] is None and "撤回前的正文" not in response.content.decode()


def test_drafts_scheduled_and_unknown_items_answer_404(client, content):
    for pk in (content.draft.pk, content.scheduled.pk, 10**9):
        response = get(client, f"/items/{pk}")
        assert response.status_code == 404 and response.json() == {"detail": "未找到。"}


def test_columns_carry_their_duties_and_the_tree(client, seed):
    columns = {row["slug"]: row for row in get(client, "/columns").json()}
    assert len(columns) == 48
    poverty = columns["3-12-1"]
    assert poverty["parent_slug"] == "3-12" and poverty["level"] == 3
    assert [duty["printed_name"] for duty in poverty["duties"]] == ["区农业农村局"]
    assert get(client, "/columns/3-12-1").json() == poverty
    assert get(client, "/columns/nope").status_code == 404


def test_units_and_one_unit(client, seed):
    units = get(client, "/units").json()
    finance = next(row for row in units if row["name"] == "区财政局")
    assert get(client, f"/units/{finance['id']}").json() == finance
    assert "email" not in finance


def test_work_points_give_units_public_state_and_only_approved_summaries(client, content):
    points = get(client, "/work-points").json()
    assert [point["number"] for point in points] == list(range(1, 21))
    first = get(client, "/work-points/1").json()
    summaries = [summary for task in first["tasks"] for summary in task["approved_summaries"]]
    assert summaries == ["已完成政策文件库建设"]
    assert {task["public_state"] for task in first["tasks"]} <= {"未开始", "推进中", "已完成"}
    assert get(client, "/work-points/99").status_code == 404
    assert get(client, "/work-points", year=2020).json() == points and first["year"] == 2020
    assert get(client, "/work-points", year=2019).json() == []
    assert get(client, "/work-points/1", year=2019).status_code == 404


def test_catalogue_lists_entries_in_tree_order_and_filters_by_column_subtree(client, content):
    catalogue_entry("3-7", matter="财政预决算", subject="区财政局")
    catalogue_entry("3-12-1", position=2, matter="扶贫项目")
    everything = get(client, "/catalogue").json()
    assert [row["matter"] for row in everything] == ["财政预决算", "扶贫政策", "扶贫项目"]
    assert everything[1]["mode_label"] == "主动公开" and everything[1]["time_limit"].endswith("20个工作日内")
    assert [row["matter"] for row in get(client, "/catalogue", column="3-12").json()] == ["扶贫政策", "扶贫项目"]
    assert get(client, "/catalogue", column="nope").status_code == 404
