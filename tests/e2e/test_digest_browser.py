"""The HTML digest in real headless Chromium: right to left, each story once, the topics'
descriptions and their charts shown, no horizontal overflow at a phone's 375 px or a desktop's
1280 px, the phone page at most twice as tall, and printed to PDF; screenshots and the PDF's
first page are kept in test-artifacts/ for a human to look at."""
from __future__ import annotations

import json

import lxml.html
import pytest

from rasd.digest import write_digest
from rasd.digest.content import HISTORY_DAYS
from rasd.text.watchlist import load_watchlist
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
  const visible = sel => [...doc.querySelectorAll(sel)].filter(el => el.getClientRects().length);
  return {{width: win.innerWidth, scrollWidth: root.scrollWidth, height: root.scrollHeight,
          lang: root.lang, direction: win.getComputedStyle(root).direction,
          bodyDirection: win.getComputedStyle(doc.body).direction,
          stories: visible(".story").map(el => el.dataset.story),
          chips: visible(".topics-of-story li").map(el => el.textContent.trim()),
          charts: visible("svg.spark").map(el => el.querySelectorAll("rect").length),
          outside: outside}};
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
    content = json.loads(as_json.read_text(encoding="utf-8"))
    expected_stories = [story["key"] for story in content["stories"]]
    assert len(expected_stories) >= 2
    descriptions = {spec.description for spec in load_watchlist().specs.values()}
    for width in WIDTHS:
        seen = result[str(width)]
        assert seen["width"] == width
        assert (seen["lang"], seen["direction"], seen["bodyDirection"]) == ("ar", "rtl", "rtl")
        assert seen["stories"] == expected_stories             # each story once, in order
        assert set(seen["chips"]) <= descriptions and "خليفة حفتر وأبناؤه" in seen["chips"]
        assert seen["charts"] == [HISTORY_DAYS] * len(content["topics"])   # one per topic
        assert seen["outside"] == [], f"elements outside the viewport at {width} px"
        assert seen["scrollWidth"] <= width, f"horizontal overflow at {width} px"
    phone, desktop = result["375"]["height"], result["1280"]["height"]
    assert phone <= 2 * desktop, (phone, desktop)
    (ARTIFACTS).mkdir(exist_ok=True)
    (ARTIFACTS / "digest-heights.json").write_text(json.dumps({"375": phone, "1280": desktop}))


def test_printed_to_pdf(page, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "digest.pdf"
    pdf.unlink(missing_ok=True)
    chromium.run(page.as_uri(), tmp_path / "profile", "--no-pdf-header-footer",
                 f"--print-to-pdf={pdf}")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert data.count(b"/Type /Page\n") + data.count(b"/Type /Page>") + \
        data.count(b"/Type/Page") >= 1


def test_screenshots_at_375_and_1280_px_are_saved_as_artifacts(page, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    for width in WIDTHS:
        shot = ARTIFACTS / f"digest-{width}.png"
        shot.unlink(missing_ok=True)
        chromium.run(page.as_uri(), tmp_path / f"profile{width}", f"--window-size={width},1600",
                     f"--screenshot={shot}")
        assert chromium.png_size(shot) == (width, 1600)
        assert shot.stat().st_size > 20_000                    # a rendered page, not a blank
