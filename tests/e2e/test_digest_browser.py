"""The HTML digest in real headless Chromium: right to left, no horizontal overflow at a phone's
375 px or a desktop's 1280 px, with screenshots kept in test-artifacts/ for a human to look at."""
from __future__ import annotations

import json

import lxml.html
import pytest

from rasd.digest import write_digest
from tests.conftest import REPO
from tests.support import chromium, digest_db
from tests.support.digest_db import DAY, TZ

WIDTHS = (375, 1280)
ARTIFACTS = REPO / "test-artifacts"

# Measures each iframe's document: its direction, and whether anything sticks out sideways.
WRAPPER = """<!doctype html><html><body>
{frames}
<pre id="result"></pre>
<script>
function measure(frame) {{
  const win = frame.contentWindow, doc = frame.contentDocument, root = doc.documentElement;
  const outside = [...doc.body.querySelectorAll("*")].filter(el => {{
    const box = el.getBoundingClientRect();
    return box.width > 0 && (box.left < -0.5 || box.right > win.innerWidth + 0.5);
  }}).map(el => el.tagName + "." + el.className);
  return {{width: win.innerWidth, scrollWidth: root.scrollWidth, lang: root.lang,
          direction: win.getComputedStyle(root).direction,
          bodyDirection: win.getComputedStyle(doc.body).direction,
          stories: doc.querySelectorAll(".story").length, outside: outside}};
}}
window.addEventListener("load", () => {{
  const result = {{}};
  for (const frame of document.querySelectorAll("iframe")) result[frame.width] = measure(frame);
  document.getElementById("result").textContent = JSON.stringify(result);
}});
</script></body></html>"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return digest_db.build(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="module")
def page(built):
    return write_digest(built.path, DAY, out_dir=built.path.parent / "digests", fmt="html",
                        tz=TZ)


def test_html_digest_is_rtl_and_fits_375_and_1280_px(built, page, tmp_path):
    frames = "\n".join(f'<iframe width="{w}" height="900" src="{page.name}" '
                       f'style="border:0;display:block"></iframe>' for w in WIDTHS)
    wrapper = page.parent / "measure.html"
    wrapper.write_text(WRAPPER.format(frames=frames), encoding="utf-8")
    dom = chromium.run(wrapper.as_uri(), tmp_path / "profile", "--allow-file-access-from-files",
                       "--window-size=1400,2000", "--virtual-time-budget=5000", "--dump-dom")
    result = json.loads(lxml.html.fromstring(dom).get_element_by_id("result").text_content())
    as_json = write_digest(built.path, DAY, out_dir=tmp_path, fmt="json", tz=TZ)
    expected_stories = sum(len(stories) for stories in
                           json.loads(as_json.read_text(encoding="utf-8"))["topics"].values())
    assert expected_stories >= 2
    for width in WIDTHS:
        seen = result[str(width)]
        assert seen["width"] == width
        assert (seen["lang"], seen["direction"], seen["bodyDirection"]) == ("ar", "rtl", "rtl")
        assert seen["stories"] == expected_stories             # every story of every topic
        assert seen["scrollWidth"] <= width, f"horizontal overflow at {width} px"
        assert seen["outside"] == [], f"elements outside the viewport at {width} px"


def test_screenshots_at_375_and_1280_px_are_saved_as_artifacts(page, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    for width in WIDTHS:
        shot = ARTIFACTS / f"digest-{width}.png"
        shot.unlink(missing_ok=True)
        chromium.run(page.as_uri(), tmp_path / f"profile{width}", f"--window-size={width},1600",
                     f"--screenshot={shot}")
        assert chromium.png_size(shot) == (width, 1600)
        assert shot.stat().st_size > 20_000                    # a rendered page, not a blank
