"""The checks run on an item before it is submitted and before it is published.

Pure reads: given an item, they return findings; `services.item_check` records
them. Each finding's severity comes from the office's configuration (a 错敏词's
own setting, `CheckPolicy` for the built-in checks), so the office decides what
blocks and what only warns."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from django.utils import timezone

from disclosure.models import Attachment, Item
from disclosure.search import normalise, strip_tags
from responsibility.models import Column

from .models import CheckPolicy, LinkStatus, SensitiveTerm, Severity

Kind = CheckPolicy.Kind
WORDING = "wording"
CONTEXT = 12
# “附件：” / “附件1” / “附件一” in the body names an attachment that should be uploaded.
ATTACHMENT_MENTION = re.compile(r"附件\s*[:：0-9一二三四五六七八九十]")


@dataclass(frozen=True)
class Finding:
    kind: str
    severity: str
    message: str

    @property
    def blocks(self) -> bool:
        return self.severity == Severity.BLOCK

    def as_dict(self) -> dict:
        return asdict(self)


class _LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (tag, address)

    def handle_starttag(self, tag, attrs):
        name = {"a": "href", "img": "src"}.get(tag)
        if name:
            value = dict(attrs).get(name)
            if value is not None:
                self.links.append((tag, value.strip()))


def body_links(body: str) -> list[tuple[str, str]]:
    """(tag, address) of every link and image in an HTML body, in order, without repeats."""
    collector = _LinkCollector()
    collector.feed(body or "")
    return list(dict.fromkeys(collector.links))


def _policies() -> dict[str, str]:
    configured = dict(CheckPolicy.objects.values_list("kind", "severity"))
    return {kind: configured.get(kind, Severity.WARN) for kind in Kind.values}


def _context(text: str, start: int, length: int) -> str:
    before = text[max(0, start - CONTEXT) : start]
    after = text[start + length : start + length + CONTEXT]
    return f"…{before}【{text[start : start + length]}】{after}…"


def wording_findings(item) -> list[Finding]:
    """Every active 错敏词 in the title, 文号, keywords or body, once per place, with the
    surrounding text and the suggested form."""
    places = (
        ("标题", item.title),
        ("文号", item.doc_number),
        ("关键词", item.keywords),
        ("正文", " ".join(strip_tags(item.body).split())),
    )
    findings = []
    for term in SensitiveTerm.objects.active():
        needle = normalise(term.term)
        for label, text in places:
            position = normalise(text or "").find(needle)
            if position < 0:
                continue
            message = f"{label}含错敏词“{term.term}”{_context(text, position, len(term.term))}"
            if term.suggestion:
                message += f"，建议改为“{term.suggestion}”"
            if term.note:
                message += f"（{term.note}）"
            findings.append(Finding(WORDING, term.severity, message + "。"))
    return findings


def internal_link_problem(path: str) -> str | None:
    """Why a link to this site is broken, or None. Items, attachments and columns must
    exist and be public; other paths must resolve."""
    try:
        match = resolve(path)
    except Resolver404:
        return "本站没有这个页面"
    now = timezone.now()
    if match.view_name == "disclosure:item":
        if not Item.objects.published(now).filter(pk=match.kwargs["pk"]).exists():
            return "链接的信息不存在或尚未公开"
    elif match.view_name == "disclosure:attachment":
        attachment = Attachment.objects.filter(pk=match.kwargs["pk"]).select_related("item").first()
        if attachment is None:
            return "链接的附件不存在"
    elif match.view_name == "disclosure:column" and not Column.objects.filter(slug=match.kwargs["slug"]).exists():
        return "链接的栏目不存在"
    return None


def link_findings(item, policies: dict[str, str]) -> list[Finding]:
    """Links and images of the body: addresses that cannot work, links to pages of this
    site that do not exist or are not public, and outside addresses the daily link
    checker last found broken (no request leaves the server while someone waits)."""
    findings, external = [], {}
    for tag, address in body_links(item.body):
        what = "图片" if tag == "img" else "链接"
        if not address or address.startswith("#"):
            continue
        parts = urlsplit(address)
        if parts.scheme in ("mailto", "tel"):
            continue
        if parts.scheme in ("http", "https") and parts.netloc:
            external[address] = what
            continue
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            findings.append(
                Finding(
                    Kind.UNSAFE_LINK,
                    policies[Kind.UNSAFE_LINK],
                    f"{what}地址“{address}”不完整或格式错误，请使用以 http(s):// 或 / 开头的完整地址。",
                )
            )
            continue
        problem = internal_link_problem(parts.path)
        if problem:
            findings.append(
                Finding(Kind.INTERNAL_LINK, policies[Kind.INTERNAL_LINK], f"{what}“{address}”：{problem}。")
            )
    for status in LinkStatus.objects.broken().filter(url__in=list(external)):
        stamp = timezone.localtime(status.checked_at).strftime("%Y-%m-%d") if status.checked_at else ""
        findings.append(
            Finding(
                Kind.EXTERNAL_LINK,
                policies[Kind.EXTERNAL_LINK],
                f"{external[status.url]}“{status.url}”在 {stamp} 的链接检查中无法访问（{status.problem}），请核实或删除。",
            )
        )
    return findings


def attachment_findings(item, policies: dict[str, str]) -> list[Finding]:
    findings = []
    attachments = list(item.attachments.all()) if item.pk else []
    for attachment in attachments:
        storage = attachment.file.storage
        if not attachment.file or not storage.exists(attachment.file.name) or storage.size(attachment.file.name) == 0:
            findings.append(
                Finding(
                    Kind.ATTACHMENT_FILE,
                    policies[Kind.ATTACHMENT_FILE],
                    f"附件“{attachment.name}”的文件缺失或为空，请重新上传。",
                )
            )
    if not attachments and ATTACHMENT_MENTION.search(strip_tags(item.body)):
        findings.append(
            Finding(
                Kind.ATTACHMENT_MENTIONED,
                policies[Kind.ATTACHMENT_MENTIONED],
                "正文提到了附件，但这条信息没有上传附件。",
            )
        )
    return findings


def item_findings(item) -> list[Finding]:
    """Every finding on `item`, those that block first; checks the office turned off give none."""
    policies = _policies()
    findings = wording_findings(item) + link_findings(item, policies) + attachment_findings(item, policies)
    findings = [finding for finding in findings if finding.severity != Severity.OFF]
    return sorted(findings, key=lambda finding: not finding.blocks)
