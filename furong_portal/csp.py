"""Content-Security-Policy: strict for the public site, which has no JavaScript at all, and
only what Django's admin needs there (its own scripts, and inline styles, which the admin
templates and the rich-text editor use). The policies are `CONTENT_SECURITY_POLICY` and
`CONTENT_SECURITY_POLICY_ADMIN` in settings (django-csp's format).

The admin's rich-text editor loads its modules through an inline `<script type="importmap">`.
An import map runs no code (it only maps module names to URLs, which `script-src 'self'` still
checks), so each import map the page carries is allowed by its hash, and nothing else inline."""

import base64
import functools
import hashlib
import re
from dataclasses import asdict

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy, default_config
from django.conf import settings
from django.urls import get_script_prefix, reverse

IMPORT_MAP = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.S)


def _import_map_hashes(response) -> list[str]:
    if getattr(response, "streaming", False) or not response.get("Content-Type", "").startswith("text/html"):
        return []
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
        for body in IMPORT_MAP.findall(response.content)
    ]


@functools.lru_cache(maxsize=4)
def _scripted_prefixes(script_prefix: str) -> tuple[str, ...]:
    """The admin, and the open-data API's explorer (Swagger UI, scripts served by us).
    Kept: `reverse` costs about as much as the rest of the header, twice per response."""
    return reverse("admin:index"), script_prefix + "api/"


# What a view or decorator may set to change a response's policy (django-csp).
_RESPONSE_OVERRIDES = (
    "_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro",
    "_csp_exempt", "_csp_exempt_ro",
)  # fmt: skip


class PortalCSPMiddleware(CSPMiddleware):
    def __init__(self, get_response):
        super().__init__(get_response)
        self._public = (None, "")  # (the settings' policy it was built from, the header)

    def process_response(self, request, response):
        """The public policy is the same on every page that neither asked for a nonce
        nor changed its policy: built once (django-csp builds it on every response,
        ~30 µs a page not in the page cache)."""
        if (
            getattr(request, "_csp_nonce", None) is not None
            or request.path.startswith(_scripted_prefixes(get_script_prefix()))
            or any(hasattr(response, name) for name in _RESPONSE_OVERRIDES)
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or settings.CONTENT_SECURITY_POLICY.get("EXCLUDE_URL_PREFIXES")
            or (settings.DEBUG and response.status_code in (404, 500))
        ):
            return super().process_response(request, response)
        policy, header = self._public
        if policy is not settings.CONTENT_SECURITY_POLICY:
            header = build_policy(**asdict(PolicyParts()))
            self._public = (settings.CONTENT_SECURITY_POLICY, header)
        if header and HEADER not in response:
            response[HEADER] = header
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        scripted = request.path.startswith(_scripted_prefixes(get_script_prefix()))
        if not report_only and parts.config is None and scripted:
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
            hashes = _import_map_hashes(response)
            if hashes:
                parts.update = {**(parts.update or {}), "script-src": hashes}
        return parts
