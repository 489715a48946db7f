"""The admin page that imports a revised 责任分解表: upload, differences, confirm."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from .forms import DocumentUploadForm, NameChoicesForm
from .table_import import table_apply, table_diff, table_text_parse


def column_table_import_view(model_admin, request):
    """Served by ColumnAdmin; whoever may change columns may use it (the district office)."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied("仅区政务公开办可以导入责任分解表。")
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "导入修订的责任分解表",
        "upload": DocumentUploadForm(),
    }
    if request.method != "POST":
        return TemplateResponse(request, "admin/responsibility/column/table_import.html", context)
    step = request.POST.get("step")
    if step in ("refresh", "confirm"):
        text, data = request.POST.get("text", ""), request.POST
    else:
        upload = DocumentUploadForm(request.POST, request.FILES)
        if not upload.is_valid():
            return TemplateResponse(request, "admin/responsibility/column/table_import.html", {**context, "upload": upload})
        text, data = upload.cleaned_data["text"], None
    try:
        nodes = table_text_parse(text.splitlines())
    except ValidationError as error:
        upload = DocumentUploadForm({"text": text})
        upload.is_valid()
        upload.add_error(None, error)
        return TemplateResponse(request, "admin/responsibility/column/table_import.html", {**context, "upload": upload})
    form = NameChoicesForm(data, names=table_diff(nodes).unresolved, initial={"text": text})
    choices = form.cleaned_data["choices"] if form.is_valid() else {}
    if step == "confirm" and form.is_valid():
        try:
            applied = table_apply(
                nodes=nodes, choices=choices, reason=f"导入修订的责任分解表（{request.user.get_username()}）",
                actor=request.user, request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"责任分解表已更新：新增栏目 {len(applied.added)} 个，删除 {len(applied.removed)} 个，"
                f"修改 {len(applied.changed)} 个" + (f"，{len(applied.kept)} 个栏目因已有信息而保留" if applied.kept else "") + "。",
            )
            return HttpResponseRedirect(reverse("admin:responsibility_column_changelist"))
    diff = table_diff(nodes, choices=choices)
    return TemplateResponse(
        request, "admin/responsibility/column/table_import.html", {**context, "diff": diff, "form": form, "nodes": nodes}
    )
