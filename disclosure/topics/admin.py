"""The district office curates 专栏 here: the topic, its sub-sections and rules (saved as
configuration, then the rules are applied by `services.topic_rules_apply`), and the placements
(added, pinned, ordered and removed only through the `topic_entry_*` services)."""

from django import forms
from django.contrib import admin, messages

from disclosure.adminkit import ServiceErrorsMixin, apply_each
from disclosure.models import Genre, Theme
from responsibility.admin import DistrictOfficeOnly

from . import services
from .models import Topic, TopicEntry, TopicRule, TopicSection


class TopicRuleForm(forms.ModelForm):
    themes = forms.MultipleChoiceField(
        label="主题分类", choices=Theme.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    genres = forms.MultipleChoiceField(label="体裁", choices=Genre.choices, required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = TopicRule
        fields = ("position", "section", "keywords", "themes", "genres", "doc_number_pattern", "units", "columns")


class TopicSectionInline(admin.TabularInline):
    model = TopicSection
    extra = 0
    fields = ("position", "title", "slug")


class TopicRuleInline(admin.StackedInline):
    model = TopicRule
    form = TopicRuleForm
    extra = 0
    autocomplete_fields = ("units", "columns")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            topic_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = TopicSection.objects.filter(topic_id=topic_id) if topic_id else TopicSection.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Topic)
class TopicAdmin(DistrictOfficeOnly, admin.ModelAdmin):
    list_display = ("title", "slug", "starts_on", "ends_on", "is_online", "position")
    list_editable = ("position",)
    search_fields = ("title", "introduction")
    autocomplete_fields = ("units",)
    inlines = (TopicSectionInline, TopicRuleInline)
    actions = ("apply_rules",)
    fieldsets = (
        (None, {"fields": ("title", "slug", "banner_text", "introduction", "units")}),
        ("期限与上线", {"fields": ("starts_on", "ends_on", "is_online", "position")}),
    )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        counts = services.topic_rules_apply(topic=form.instance, actor=request.user)
        self.message_user(
            request, f"已按规则归集：新增 {counts['added']} 条，移出不再符合规则的 {counts['dropped']} 条。", messages.SUCCESS
        )

    @admin.action(description="按规则重新归集所选专栏")
    def apply_rules(self, request, queryset):
        for topic in queryset:
            counts = services.topic_rules_apply(topic=topic, actor=request.user)
            self.message_user(request, f"“{topic}”：新增 {counts['added']} 条，移出 {counts['dropped']} 条。", messages.SUCCESS)


class TopicEntryForm(forms.ModelForm):
    class Meta:
        model = TopicEntry
        fields = ("topic", "item", "section", "pinned", "position")


@admin.register(TopicEntry)
class TopicEntryAdmin(ServiceErrorsMixin, DistrictOfficeOnly, admin.ModelAdmin):
    form = TopicEntryForm
    list_display = ("item", "topic", "section", "source", "pinned", "position", "removed", "added_at")
    list_select_related = ("item", "topic", "section")
    list_filter = ("topic", "source", "pinned", "removed")
    search_fields = ("item__title", "item__doc_number", "item__index_number")
    raw_id_fields = ("item",)
    actions = ("pin_selected", "unpin_selected", "remove_selected", "restore_selected")

    def get_readonly_fields(self, request, obj=None):
        return ("topic", "item", "source", "removed") if obj else ()

    def get_fields(self, request, obj=None):
        return ("topic", "item", "source", "removed", "section", "pinned", "position") if obj else ("topic", "item", "section")

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            saved = services.topic_entry_arrange(
                actor=request.user, entry=obj, pinned=data["pinned"], position=data["position"], section=data.get("section")
            )
        else:
            saved = services.topic_entry_add(actor=request.user, topic=data["topic"], item=data["item"], section=data.get("section"))
        obj.pk = saved.pk

    def _each(self, request, queryset, verb, apply):
        apply_each(self, request, queryset, verb=verb, apply=apply, name=lambda entry: f"《{entry.item}》")

    @admin.action(description="置顶")
    def pin_selected(self, request, queryset):
        self._each(request, queryset, "置顶", lambda e: services.topic_entry_arrange(actor=request.user, entry=e, pinned=True, position=e.position))

    @admin.action(description="取消置顶")
    def unpin_selected(self, request, queryset):
        self._each(request, queryset, "取消置顶", lambda e: services.topic_entry_arrange(actor=request.user, entry=e, pinned=False, position=e.position))

    @admin.action(description="移出专栏（规则不再放回）")
    def remove_selected(self, request, queryset):
        self._each(request, queryset, "移出", lambda e: services.topic_entry_remove(actor=request.user, entry=e))

    @admin.action(description="恢复到专栏")
    def restore_selected(self, request, queryset):
        self._each(
            request, queryset.filter(removed=True), "恢复",
            lambda e: services.topic_entry_add(actor=request.user, topic=e.topic, item=e.item, section=e.section),
        )  # fmt: skip
