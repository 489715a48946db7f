"""Every public page is valid HTML by the Nu HTML Checker (vnu.jar, the W3C validator's
engine, run locally with Java; `.ci/run` installs it from npm with axe-core)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.disclosure.public_data import attach, publish

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")

pytestmark = [
    pytest.mark.django_db,
    # Outside CI a machine without Java or `npm install` skips; CI must have both.
    pytest.mark.skipif(not (JAVA and VNU.exists()) and not os.environ.get("CI"), reason="vnu.jar or Java missing"),
]


def public_pages() -> list[str]:
    document = publish("3-1", "区司法局", title="芙蓉区行政执法公示办法", is_normative=True, validity="valid",
                       doc_number="芙司发〔2020〕1号", body="<p>第一条 为了……</p><table><tr><th>项</th><td>值</td></tr></table>")  # fmt: skip
    attach(document, "pdf")
    interpretation = publish("3-1", "区司法局", title="《芙蓉区行政执法公示办法》解读", interprets=document)
    return [
        "/",
        reverse("disclosure:column", args=("3",)),
        reverse("disclosure:column", args=("3-1",)),
        reverse("disclosure:column", args=("1",)),
        document.get_absolute_url(),
        interpretation.get_absolute_url(),
        reverse("disclosure:documents"),
        reverse("disclosure:search"),
        reverse("disclosure:search") + "?q=执法",
        reverse("disclosure:site-map"),
        reverse("disclosure:contact"),
        reverse("requests:index"),
        reverse("requests:procedure"),
        reverse("requests:apply"),
        reverse("requests:paper-form"),
        reverse("requests:lookup"),
        reverse("tasks:work-points"),
        reverse("tasks:work-point", args=(1,)),
        reverse("responsibility:unit", args=(document.unit_id,)),
        "/no-such-page/",
    ]


def test_public_pages_have_no_html_errors(client, seed, tmp_path):
    files = []
    for number, url in enumerate(public_pages()):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        path = tmp_path / f"page{number:02d}.html"
        path.write_bytes(response.content)
        files.append((path, url))
    result = subprocess.run(
        [JAVA or "java", "-jar", str(VNU), "--errors-only", "--format", "json", *(str(path) for path, _ in files)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    messages = json.loads(result.stderr or result.stdout)["messages"]
    urls = {path.name: url for path, url in files}
    errors = [
        f"{urls.get(m.get('url', '').rsplit('/', 1)[-1])} line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]
    assert not errors, "\n".join(errors)
