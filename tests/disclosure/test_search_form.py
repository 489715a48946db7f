"""The search form kept per generation (views.search_form): the same markup as the form
rendered by its template for every query it answers, renewed with the generation."""

import pytest
from django.test import RequestFactory

from disclosure import views
from disclosure.filters import ItemSearchFilter
from disclosure.models import Item
from furong_portal.pagecache import generation_renew
from responsibility.models import Column

pytestmark = pytest.mark.django_db

QUERIES = [
    "q=%E6%89%B6%E8%B4%AB",
    "q=",
    "q=+%E9%A2%84%E7%AE%97+",
    'q=%22%3Cb%3E%26%27"',
    "q=a&q=%E6%94%BF%E5%BA%9C",
    "q=%E6%94%BF%E5%BA%9C&sort=date",
    "q=%E6%94%BF%E5%BA%9C&sort=relevance",
    "q=%E6%94%BF%E5%BA%9C&sort=",
    "q=%E6%94%BF%E5%BA%9C&column=&unit=&start=&end=&theme=&genre=&validity=&sort=relevance",
    "q=%E6%94%BF%E5%BA%9C&column=&sort=date&page=2",
    "page=2",
    "sort=date",
]


def forms(query):
    request = RequestFactory().get(f"/search/?{query}")
    filterset = ItemSearchFilter(request.GET or None, queryset=Item.objects.none(), request=request)
    return views.search_form(request, filterset), views.search_form_render(request, filterset)


@pytest.mark.parametrize("query", QUERIES)
def test_the_kept_search_form_is_the_templates_form(seed, query):
    for _ in range(2):  # built, then kept
        kept, template = forms(query)
        assert kept == template


@pytest.mark.parametrize(
    "query",
    ["", "q=a&column=1", "q=a&sort=sideways", "q=" + "a" * 101, "q=a&start=2020-13-01", "q=a&theme=unknown"],
)
def test_a_form_with_a_filter_or_an_error_is_rendered_by_its_template(seed, query):
    assert forms(query)[0] is None


def test_the_kept_form_shows_a_column_added_in_a_new_generation(seed):
    assert "新加的栏目" not in forms("q=a")[0]
    parent = Column.objects.filter(parent=None).first()
    Column.objects.create(parent=parent, number="99", title="新加的栏目", slug="new-column-99", level=parent.level + 1, order=999)
    generation_renew()
    kept, template = forms("q=a")
    assert "新加的栏目" in kept and kept == template


def test_the_form_class_is_kept_per_generation_and_its_forms_share_no_state(seed):
    bad = ItemSearchFilter({"q": "a", "start": "2020-13-01"}, queryset=Item.objects.none())
    good = ItemSearchFilter({"q": "a", "sort": "date"}, queryset=Item.objects.none())
    assert type(bad.form) is type(good.form)
    assert not bad.is_valid() and "start" in bad.form.errors
    assert good.is_valid() and not good.form.errors and good.form.cleaned_data["sort"] == "date"
    assert bad.filters["q"] is not good.filters["q"] and good.filters["q"].filter.method.__self__ is good
    assert good.form.fields["column"] is not bad.form.fields["column"]
    assert list(good.form.fields["theme"].choices) == list(bad.form.fields["theme"].choices)
    generation_renew()
    assert type(ItemSearchFilter({"q": "a"}, queryset=Item.objects.none()).form) is not type(good.form)


def test_the_filter_sets_own_init_leaves_an_instance_as_django_filters_own_would(seed):
    """`FormPerGenerationFilterSet.__init__` replaces django-filter's (which deep-copies
    every filter): a release of django-filter that sets something more on an instance
    fails here rather than in a view."""
    from django.http import QueryDict
    from django_filters.filterset import BaseFilterSet

    data, queryset, request = QueryDict("q=扶贫&sort=date"), Item.objects.none(), RequestFactory().get("/search/")
    ours = ItemSearchFilter(data, queryset=queryset, request=request, prefix="p")
    theirs = ItemSearchFilter.__new__(ItemSearchFilter)
    BaseFilterSet.__init__(theirs, data, queryset=queryset, request=request, prefix="p")
    assert vars(ours).keys() == vars(theirs).keys()
    for name, value in vars(theirs).items():
        if name != "filters":
            assert getattr(ours, name) is value or getattr(ours, name) == value, name
    assert ours.filters.keys() == theirs.filters.keys()
    for name, filter_ in theirs.filters.items():
        copy = ours.filters[name]
        assert (type(copy), copy.field_name, copy.lookup_expr, copy.model) == (
            type(filter_), filter_.field_name, filter_.lookup_expr, filter_.model
        )
        assert copy.parent is ours and filter_.parent is theirs
