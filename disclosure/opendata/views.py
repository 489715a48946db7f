"""The open-data page (data dictionary with each file's date and size) and the files."""

from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from disclosure.views import PublicCacheMixin, public_cache

from .datasets import DATASETS, DATASETS_BY_FILE, open_data_root, published_files


class OpenDataView(PublicCacheMixin, TemplateView):
    template_name = "opendata/index.html"

    def get_context_data(self, **kwargs):
        datasets = [(dataset, published_files(dataset)) for dataset in DATASETS]
        return super().get_context_data(datasets=datasets, **kwargs)


@require_GET
def download(request, name):
    """One generated file; only the names the export writes are served."""
    if name not in DATASETS_BY_FILE:
        raise Http404("没有这个文件。")
    try:
        handle = (open_data_root() / name).open("rb")
    except FileNotFoundError as error:
        raise Http404("文件尚未生成。") from error
    content_type = "text/csv; charset=utf-8" if name.endswith(".csv") else "application/jsonl; charset=utf-8"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    return public_cache(request, response, max_age=3600)
