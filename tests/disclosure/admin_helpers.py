"""Form data for the item admin, as the browser would post it."""

from django.core.files.uploadedfile import SimpleUploadedFile

INLINE_PREFIXES = ("attachments", "attachments-2")


def inline_management(**extra) -> dict:
    data = {}
    for prefix in INLINE_PREFIXES:
        data.update({
            f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000",
        })  # fmt: skip
    data.update(extra)
    return data


def item_form(*, column, title="测试信息", **fields) -> dict:
    defaults = {
        "column": str(column.pk), "title": title, "doc_number": "", "written_on": "", "theme": "general",
        "genre": "notice", "keywords": "", "body": "<p>正文</p>", "interprets": "",
    }  # fmt: skip
    return inline_management(**{**defaults, **fields})


def csv_upload(text: str, name: str = "items.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


CSV_HEADER = "栏目,发布机构,标题,文号,成文日期,主题分类,体裁,关键词,规范性文件,正文\n"


def export_form(**extra) -> dict:
    """The export page's form with CSV and every column ticked."""
    from disclosure.resources import ItemResource

    return {"format": "0", "resource": "0", **{f"itemresource_{name}": "on" for name in ItemResource.Meta.fields}, **extra}
