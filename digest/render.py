"""Renderers: a Digest as Markdown (chat and mail) or JSON (tools)."""
from __future__ import annotations

import json
import re
from dataclasses import asdict

from digest.content import Digest

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>])")


def _md(text: str) -> str:
    """Scraped text is untrusted: escape Markdown syntax and fold whitespace."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def render_markdown(digest: Digest) -> str:
    lines = [f"# rasd digest {digest.period.label}", ""]
    if not digest.topics:
        lines.append("No watchlist matches on this day.")
        return "\n".join(lines) + "\n"
    lines.append(f"{digest.match_count} matching articles in {len(digest.topics)} topics.")
    for topic, articles in digest.topics.items():
        lines += ["", f"## {topic} ({len(articles)})", ""]
        for article in articles:
            link = article.url if article.url.startswith(("http://", "https://")) else ""
            title = _md(article.title or article.url)
            lines.append(f"- [{title}](<{link}>) — {_md(article.source)}" if link
                         else f"- {title} — {_md(article.source)}")
            lines.append(f"  {', '.join(_md(t) for t in article.terms)}: {_md(article.snippet)}")
    return "\n".join(lines) + "\n"


def render_json(digest: Digest) -> str:
    return json.dumps({"period": digest.period.label,
                       "start": digest.period.start.isoformat(),
                       "end": digest.period.end.isoformat(),
                       "topics": {topic: [asdict(a) for a in articles]
                                  for topic, articles in digest.topics.items()}},
                      ensure_ascii=False, indent=2) + "\n"


RENDERERS = {"md": render_markdown, "json": render_json}
