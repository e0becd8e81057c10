"""Builds the fixture outlet site in `seeds/site/` from the seed and negative articles.

The pages imitate real Arabic outlets: navigation, breadcrumbs, share buttons, related-article
boxes between paragraphs, reader comments, a newsletter box, a footer, scripts, Open Graph and
JSON-LD metadata. Feeds and the sitemap use the placeholder base URL below; the test server
replaces it with its own address. Run `python seeds/build_site.py` after changing a seed or the
templates; a test checks that the committed site is up to date.
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
SITE = HERE / "site"
BASE = "http://outlet.rasd.test"
SITE_NAME = "أخبار الرصد"
FIRST_DATE = datetime(2026, 11, 16, 7, 30, tzinfo=timezone.utc)

# Furniture strings: each must never reach an article's stored text.
NAV = ["الصفحة الرئيسية للرصد", "الشأن السياسي", "المال والأعمال", "ملاعب ورياضة", "ثقافة وفنون",
       "منوعات الرصد"]
RELATED_TITLE = "اقرأ أيضاً"
RELATED = ["حفتر يلتقي وفدا عسكريا في بنغازي لبحث ملف توحيد المؤسسة العسكرية",
           "أفريكوم تعلن موعد مناورات جديدة في شمال أفريقيا",
           "انخفاض أسعار الذهب في الأسواق المحلية مع نهاية الأسبوع"]
COMMENTS_TITLE = "تعليقات القراء"
COMMENTS = ["تعليق قارئ: هذا الخبر منقوص ولا يذكر موقف حفتر الحقيقي من الزيارة",
            "تعليق قارئ: نريد تغطية أوسع لزيارات أفريكوم إلى المنطقة"]
NEWSLETTER = "اشترك في النشرة البريدية ليصلك ملخص الأخبار كل صباح"
FOOTER = "جميع الحقوق محفوظة لموقع أخبار الرصد 2026"
SHARE = "شارك الخبر على فيسبوك وتويتر وواتساب"
FURNITURE = [*NAV, RELATED_TITLE, *RELATED, COMMENTS_TITLE, *COMMENTS, NEWSLETTER, FOOTER,
             SHARE]


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    paragraphs: list[str]
    published: datetime
    section: str
    encoding: str = "utf-8"

    @property
    def path(self) -> str:
        return f"/news/2026/{self.slug}.html"

    @property
    def url(self) -> str:
        return BASE + self.path


def read_article(path: Path, index: int, section: str, encoding: str = "utf-8") -> Article:
    title, _, text = path.read_text(encoding="utf-8").partition("\n")
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    return Article(path.stem, title.strip(), paragraphs,
                   FIRST_DATE + timedelta(hours=7 * index), section, encoding)


def articles() -> list[Article]:
    seeds = [read_article(p, i, "أخبار ليبيا والمغرب العربي") for i, p in enumerate(sorted(HERE.glob("*.txt")))]
    negatives = sorted((HERE / "negatives").glob("*.txt"))
    others = [read_article(p, len(seeds) + i, "منوعات الرصد",
                           "cp1256" if p.stem == "weather_heat" else "utf-8")
              for i, p in enumerate(negatives)]
    return seeds + others


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _related_box(variant: int) -> str:
    items = "".join(f'<li><a href="/news/2026/related-{variant}-{i}.html">{_e(t)}</a></li>'
                    for i, t in enumerate(RELATED))
    if variant % 2:
        return (f'<div class="related-articles"><h3>{RELATED_TITLE}</h3><ul>{items}</ul></div>')
    return (f'<aside class="read-also inline-related"><span class="label">{RELATED_TITLE}</span>'
            f'<ul>{items}</ul></aside>')


def render_page(article: Article, variant: int) -> str:
    """One article page; `variant` alternates two outlet templates."""
    paragraphs = []
    for i, paragraph in enumerate(article.paragraphs):
        paragraphs.append(f"<p>{_e(paragraph)}</p>")
        if i in (1, 4):
            paragraphs.append(_related_box(variant + i))
    body_class = "article-body entry-content" if variant % 2 else "story-text"
    nav = "".join(f'<li><a href="/{i}">{n}</a></li>' for i, n in enumerate(NAV))
    comments = "".join(f'<li class="comment"><p class="comment-text">{_e(c)}</p></li>'
                       for c in COMMENTS)
    published = article.published.isoformat()
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                     "headline": article.title, "datePublished": published,
                     "author": {"@type": "Person", "name": "محرر الشؤون الدولية"},
                     "publisher": {"@type": "Organization", "name": SITE_NAME}},
                    ensure_ascii=False)
    charset = '<meta charset="utf-8">' if article.encoding == "utf-8" else ""
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
{charset}
<title>{_e(article.title)} | {SITE_NAME}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:title" content="{_e(article.title)}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{SITE_NAME}">
<meta property="article:published_time" content="{published}">
<link rel="canonical" href="{article.url}">
<script type="application/ld+json">{ld}</script>
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>
<link rel="stylesheet" href="/static/site.css">
</head>
<body>
<header class="site-header">
  <div class="logo"><a href="/">{SITE_NAME}</a></div>
  <nav class="main-nav" role="navigation"><ul>{nav}</ul></nav>
</header>
<div class="breadcrumbs"><a href="/">{NAV[0]}</a> › <a href="/politics">{_e(article.section)}</a></div>
<main>
<article class="post">
  <h1 class="headline">{_e(article.title)}</h1>
  <div class="meta"><span class="author">محرر الشؤون الدولية</span>
    <time datetime="{published}">{article.published:%Y-%m-%d %H:%M}</time></div>
  <div class="share-buttons social-share">{SHARE}</div>
  <div class="{body_class}">
    {chr(10).join(paragraphs)}
  </div>
  <div class="tags">وسوم: <a href="/tag/1">{_e(article.section)}</a></div>
</article>
<section id="comments" class="comments-area">
  <h2 class="comments-title">{COMMENTS_TITLE}</h2>
  <ol class="comment-list">{comments}</ol>
</section>
<div class="newsletter-box widget"><p>{NEWSLETTER}</p><form><input type="email"></form></div>
</main>
<aside class="sidebar most-read widget"><h3>الأكثر قراءة</h3>{_related_box(variant + 1)}</aside>
<footer class="site-footer"><p>{FOOTER}</p></footer>
<script src="/static/app.js"></script>
</body>
</html>
"""


def render_rss(items: list[Article]) -> str:
    entries = "".join(f"""
  <item>
    <title>{_e(a.title)}</title>
    <link>{a.url}</link>
    <guid isPermaLink="true">{a.url}</guid>
    <pubDate>{a.published:%a, %d %b %Y %H:%M:%S +0000}</pubDate>
    <description>{_e(a.paragraphs[0][:200])}</description>
  </item>""" for a in items)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
  <title>{SITE_NAME}</title>
  <link>{BASE}/</link>
  <description>آخر الأخبار</description>
  <language>ar</language>{entries}
</channel>
</rss>
"""


def render_atom(items: list[Article]) -> str:
    entries = "".join(f"""
  <entry>
    <title>{_e(a.title)}</title>
    <link rel="alternate" href="{a.url}"/>
    <id>{a.url}</id>
    <published>{a.published.isoformat()}</published>
    <updated>{a.published.isoformat()}</updated>
    <summary>{_e(a.paragraphs[0][:200])}</summary>
  </entry>""" for a in items)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">
  <title>{SITE_NAME}</title>
  <id>{BASE}/</id>
  <link rel="self" href="{BASE}/atom.xml"/>
  <updated>{items[-1].published.isoformat()}</updated>{entries}
</feed>
"""


def render_news_sitemap(items: list[Article]) -> str:
    entries = "".join(f"""
  <url>
    <loc>{a.url}</loc>
    <news:news>
      <news:publication><news:name>{SITE_NAME}</news:name><news:language>ar</news:language></news:publication>
      <news:publication_date>{a.published.isoformat()}</news:publication_date>
      <news:title>{_e(a.title)}</news:title>
    </news:news>
  </url>""" for a in items)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{entries}
</urlset>
"""


def render_index(items: list[Article]) -> str:
    links = "".join(f'<li><a href="{a.path}">{_e(a.title)}</a></li>' for a in items)
    return (f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
            f"<title>{SITE_NAME}</title></head><body><h1>{SITE_NAME}</h1><ul>{links}</ul>"
            f"</body></html>\n")


def build() -> dict[Path, bytes]:
    """Every file of the site, by path, as bytes."""
    items = articles()
    half = len(items) // 2
    files = {
        Path("index.html"): render_index(items).encode(),
        Path("robots.txt"): b"User-agent: *\nDisallow: /private/\n",
        # The feeds overlap, as real outlets' feeds do; the sitemap lists everything.
        Path("rss.xml"): render_rss(items[: half + 2]).encode(),
        Path("atom.xml"): render_atom(items[half - 2:]).encode(),
        Path("news-sitemap.xml"): render_news_sitemap(items).encode(),
    }
    for variant, article in enumerate(items):
        files[Path(article.path.lstrip("/"))] = render_page(article, variant).encode(
            article.encoding, errors="strict")
    return files


def main() -> None:
    for path, content in build().items():
        target = SITE / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    print(f"wrote {len(build())} files to {SITE}")


if __name__ == "__main__":
    main()
