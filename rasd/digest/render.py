"""Renderers: a Digest as HTML (reading), Markdown (chat and mail), JSON (tools), Atom (feeds).

HTML and Atom come from Jinja templates with autoescaping on, so every scraped string is
escaped by the engine rather than by hand; Markdown escapes its own syntax. Only http(s) URLs
ever become links (see digest.highlight.safe_url).
"""
from __future__ import annotations

import json
import re
import uuid
from dataclasses import asdict

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from rasd.digest.chart import chart, sparkline
from rasd.digest.content import HISTORY_DAYS, Digest, Story
from rasd.digest.highlight import Segment

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~&])")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
TITLE_LIMIT = 200   # some outlets put a whole summary in the title
NO_MATCHES = "لا توجد مطابقات في هذه الفترة."


def signed(number: int) -> str:
    """A change as +3, −2 or 0 (shown inside an LTR isolate in right-to-left text)."""
    return f"+{number}" if number > 0 else (f"−{-number}" if number < 0 else "0")


def xml_text(text: str) -> str:
    """Drop the control characters XML 1.0 forbids (scraped pages do contain them)."""
    return _XML_INVALID.sub("", text or "")


_ENV = Environment(loader=PackageLoader("rasd.digest", "templates"),
                   autoescape=select_autoescape(["html", "xml"]),
                   undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
_ENV.filters["signed"] = signed
_ENV.filters["xml_text"] = xml_text


def _md(text: str) -> str:
    """Scraped text is untrusted: escape Markdown syntax and fold whitespace."""
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text or ""))


def short(text: str, limit: int = TITLE_LIMIT) -> str:
    """A title for display: whole words up to `limit` characters, then an ellipsis."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


_ENV.filters["short"] = short


def _md_link(text: str, url: str | None) -> str:
    """A Markdown link for an http(s) URL (already checked), plain text otherwise."""
    if not url:
        return _md(text)
    target = url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
    return f"[{_md(text)}](<{target}>)"


def _md_segments(segments: list[Segment]) -> str:
    return "".join(f"**{_md(text)}**" if hit else _md(text) for text, hit in segments)


def _previous_name(digest: Digest) -> str:
    return "اليوم السابق" if digest.period.is_day else "الفترة السابقة"


def _title(digest: Digest) -> str:
    """The digest's title; a one-topic digest names its topic."""
    label = f"موجز رصد {digest.period.label}"
    return f"{label} — {digest.label(digest.topic)}" if digest.topic else label


SURGE = "أعلى بكثير من المعتاد"


def render_markdown(digest: Digest) -> str:
    lines = [f"# {_md(_title(digest))}", ""]
    if not digest.stories:
        lines.append(NO_MATCHES)
        if digest.previous_count:
            lines.append(f"({_previous_name(digest)}: {digest.previous_count})")
        return "\n".join(lines) + "\n"
    lines.append(f"المقالات المطابقة: {digest.match_count} · القصص: {digest.story_count} · "
                 f"مقارنة ب{_previous_name(digest)}: {signed(digest.change)}")
    lines += ["", "## المواضيع", "",
              f"| الموضوع | القصص | المقالات | آخر {HISTORY_DAYS} يوماً |", "|---|---|---|---|"]
    for summary in digest.topics.values():
        flag = f" ⬆ {SURGE}" if summary.surge else ""
        lines.append(f"| {_md(summary.label)} | {summary.stories} | {summary.articles} "
                     f"({signed(summary.change)}) | {sparkline(summary.daily)}{flag} |")
    lines.append("")
    lines.append("المنافذ: " + "، ".join(f"{_md(name)} {n}"
                                          for name, n in digest.outlet_counts.items()))
    lines += ["", f"## القصص ({digest.story_count})"]
    for story in digest.stories:
        lines += _md_story(digest, story)
    return "\n".join(lines) + "\n"


def _md_story(digest: Digest, story: Story) -> list[str]:
    lines = ["", f"### {_md_link(short(story.title), story.url)}"]
    if story.lede:
        lines += ["", f"> {_md(story.lede)}"]
    lines += ["", f"المواضيع: {'، '.join(_md(digest.label(t)) for t in story.topics)} · "
              f"المنافذ: {'، '.join(map(_md, story.outlets))} · "
              f"أول ظهور: {story.first_seen} · آخر تحديث: {story.last_updated}", ""]
    for article in story.articles:
        when = f" · {article.published}" if article.published else ""
        lines.append(f"- {_md_link(short(article.title), article.url)} — "
                     f"{_md(article.source)}{when}")
        lines.append(f"  الكلمات: {'، '.join(map(_md, article.terms))}")
        if article.segments:
            lines.append(f"  > {_md_segments(article.segments)}")
        if article.duplicates:
            copies = "، ".join(_md_link(d.source, d.url) for d in article.duplicates)
            lines.append(f"  نُشر أيضاً في: {copies}")
    return lines


def render_json(digest: Digest) -> str:
    data = asdict(digest)
    data["period"] = {"label": digest.period.label, "tz": digest.period.tz,
                      "start": digest.period.start.isoformat(),
                      "end": digest.period.end.isoformat()}
    data["story_count"] = digest.story_count
    for story_data, story in zip(data["stories"], digest.stories, strict=True):
        story_data["outlets"] = story.outlets
        story_data["url"] = story.url
    for slug, summary in digest.topics.items():
        data["topics"][slug]["surge"] = summary.surge
        data["topics"][slug]["usual"] = round(summary.usual, 2)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_html(digest: Digest) -> str:
    charts = {slug: chart(s.days, s.daily) for slug, s in digest.topics.items()}
    return _ENV.get_template("digest.html").render(
        digest=digest, title=_title(digest), previous_name=_previous_name(digest),
        no_matches=NO_MATCHES, charts=charts, history_days=HISTORY_DAYS, surge=SURGE)


def _atom_entries(digest: Digest) -> list[dict]:
    """One entry per story: a feed reader shows it once and again when it is updated."""
    entries = []
    for story in digest.stories:
        also = "، ".join(story.outlets)
        entries.append({
            "id": uuid.uuid5(uuid.NAMESPACE_URL, f"rasd:story:{story.key}").urn,
            "title": story.title, "url": story.url or story.articles[0].url,
            "source": story.articles[0].source,
            "updated": max(a.fetched_at for a in story.articles),
            "topics": [(t, digest.label(t)) for t in story.topics],
            "summary": story.lede or story.articles[0].snippet,
            "outlets": also})
    return sorted(entries, key=lambda e: e["updated"], reverse=True)


def render_atom(digest: Digest) -> str:
    # one topic's feed keeps its id whatever the period: a reader follows one feed
    scope = f"topic:{digest.topic}" if digest.topic else digest.period.slug()
    feed_id = uuid.uuid5(uuid.NAMESPACE_URL, f"rasd:digest:{scope}").urn
    return _ENV.get_template("digest.atom.xml").render(
        digest=digest, title=_title(digest), feed_id=feed_id, entries=_atom_entries(digest))


RENDERERS = {"html": render_html, "md": render_markdown, "json": render_json,
             "atom": render_atom}
EXTENSIONS = {"html": "html", "md": "md", "json": "json", "atom": "atom"}
