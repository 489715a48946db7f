"""Every public page is valid HTML by the Nu HTML Checker (vnu.jar, the W3C validator's
engine, run locally with Java; `.ci/run` installs it from npm with axe-core)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.disclosure.public_data import public_page_urls

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")

pytestmark = [
    pytest.mark.django_db,
    # Outside CI a machine without Java or `npm install` skips; CI must have both.
    pytest.mark.skipif(not (JAVA and VNU.exists()) and not os.environ.get("CI"), reason="vnu.jar or Java missing"),
]


def test_public_pages_have_no_html_errors(client, seed, tmp_path):
    files = []
    for number, url in enumerate([*public_page_urls(), "/no-such-page/"]):
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
