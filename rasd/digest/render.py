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

from rasd.digest.content import Digest, Story
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


def render_markdown(digest: Digest) -> str:
    lines = [f"# موجز رصد {digest.period.label}", ""]
    if not digest.topics:
        lines.append(NO_MATCHES)
        if digest.previous_count:
            lines.append(f"({_previous_name(digest)}: {digest.previous_count})")
        return "\n".join(lines) + "\n"
    lines.append(f"المقالات المطابقة: {digest.match_count} · القصص: {digest.story_count} · "
                 f"مقارنة ب{_previous_name(digest)}: {signed(digest.change)}")
    lines.append("")
    for topic, count in digest.topic_counts.items():
        lines.append(f"- {_md(topic)}: القصص {count.stories}، المقالات {count.articles} "
                     f"({signed(count.change)})")
    lines.append("")
    lines.append("المنافذ: " + "، ".join(f"{_md(name)} {n}"
                                          for name, n in digest.outlet_counts.items()))
    for topic, stories in digest.topics.items():
        lines += ["", f"## {_md(topic)} ({len(stories)})"]
        for story in stories:
            lines += _md_story(story)
    return "\n".join(lines) + "\n"


def _md_story(story: Story) -> list[str]:
    lead = story.articles[0]
    heading = _md_link(short(lead.title), lead.url) if story.single else _md(short(story.title))
    lines = ["", f"### {heading}",
             f"أول ظهور: {story.first_seen} · المنافذ: {'، '.join(map(_md, story.outlets))}", ""]
    for article in story.articles:
        when = f" · {article.published}" if article.published else ""
        title = "" if story.single else f"{_md_link(short(article.title), article.url)} — "
        lines.append(f"- {title}{_md(article.source)}{when}")
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
    for topic, stories in digest.topics.items():
        for story_data, story in zip(data["topics"][topic], stories, strict=True):
            story_data["outlets"] = story.outlets
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_html(digest: Digest) -> str:
    return _ENV.get_template("digest.html").render(
        digest=digest, previous_name=_previous_name(digest), no_matches=NO_MATCHES)


def _atom_entries(digest: Digest) -> list[dict]:
    entries: dict[int, dict] = {}
    for topic, stories in digest.topics.items():
        for story in stories:
            for article in story.articles:
                entry = entries.get(article.id)
                if entry is None:
                    also = "، ".join(d.source for d in article.duplicates)
                    entry = entries[article.id] = {
                        "id": uuid.uuid5(uuid.NAMESPACE_URL, f"rasd:{article.id}:"
                                         f"{article.url or article.title}").urn,
                        "title": article.title, "url": article.url, "source": article.source,
                        "updated": article.fetched_at, "topics": [],
                        "summary": article.snippet + (f" (نُشر أيضاً في: {also})" if also else "")}
                entry["topics"].append(topic)
    return sorted(entries.values(), key=lambda e: e["updated"], reverse=True)


def render_atom(digest: Digest) -> str:
    feed_id = uuid.uuid5(uuid.NAMESPACE_URL, f"rasd:digest:{digest.period.slug()}").urn
    return _ENV.get_template("digest.atom.xml").render(
        digest=digest, feed_id=feed_id, entries=_atom_entries(digest))


RENDERERS = {"html": render_html, "md": render_markdown, "json": render_json,
             "atom": render_atom}
EXTENSIONS = {"html": "html", "md": "md", "json": "json", "atom": "atom"}
