"""URL canonicalization: one spelling per article URL, before anything is requested or stored.

Feeds, sitemaps and share links name the same article in many ways: upper-case hosts, default
ports, fragments, tracking parameters, its AMP or mobile twin. rasd requests and stores the
canonical form (and keeps the URL as found in `articles.original_url`), so the seen-URL check
and the `url` unique key see one article once. A trailing slash is kept, because many servers
answer 404 for the other spelling; the seen-URL check treats `/x` and `/x/` as one URL instead
(`rasd.text.urls.slash_twin`).

w3lib (Scrapy's own URL library) does the safe, standard part: lower-case scheme and host,
percent-encoding, sorted query arguments, no fragment. The rules below add what is specific to
news sites. Outlet-specific variants (an `m.` host, an `/amp/` prefix) are regex rewrites from
the registry (`url_rewrites`), because only the outlet's own pattern says what is a variant.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from w3lib.url import canonicalize_url as w3lib_canonicalize_url

from rasd.config import ConfigError

# Query parameters that only say where a click came from; never part of an article's identity.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
    "igshid", "igsh", "mc_cid", "mc_eid", "_ga", "_gl", "ocid", "cmpid", "s_cid", "ref_src",
    "ref_url", "__twitter_impression", "wt_mc", "at_medium", "at_campaign", "share",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
# Query parameters that ask for the AMP rendering of the same article.
AMP_PARAMS = {"amp": None, "outputtype": "amp"}
DEFAULT_PORTS = {"http": 80, "https": 443}
_AMP_SUFFIX = re.compile(r"/amp/?$", re.IGNORECASE)

Rewrite = tuple[re.Pattern[str], str]


def _drop_param(pair: str) -> bool:
    """True for a tracking parameter or an AMP switch (`pair` is one raw `name=value`)."""
    name, _, value = (unquote_plus(p).lower() for p in pair.partition("="))
    if name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES):
        return True
    return name in AMP_PARAMS and AMP_PARAMS[name] in (None, value)


def canonicalize_url(url: str, rewrites: Iterable[Rewrite] = ()) -> str:
    """The canonical form of an article URL (non-http(s) URLs only lose their fragment).

    `rewrites` are an outlet's (pattern, replacement) pairs, applied in order to the result,
    e.g. `(re.compile(r"^https://m\\.example\\.com/"), "https://www.example.com/")`.
    """
    url = url.strip()
    if urlsplit(url).scheme.lower() not in DEFAULT_PORTS:
        return w3lib_canonicalize_url(url, keep_fragments=False)
    parts = urlsplit(w3lib_canonicalize_url(url, keep_fragments=False))
    netloc = parts.netloc
    if parts.port == DEFAULT_PORTS[parts.scheme]:
        netloc = netloc.rsplit(":", 1)[0]
    query = "&".join(pair for pair in parts.query.split("&")
                     if pair and not _drop_param(pair))
    path = parts.path
    amp = _AMP_SUFFIX.search(path)
    if amp and amp.start() > 0:
        path = path[:amp.start()] + ("/" if path.endswith("/") else "")
    canonical = urlunsplit((parts.scheme, netloc, path or "/", query, ""))
    for pattern, replacement in rewrites:
        canonical = pattern.sub(replacement, canonical)
    return canonical


def parse_rewrites(value: object, where: str) -> tuple[Rewrite, ...]:
    """Validate a registry `url_rewrites` value: a list of [regex, replacement] pairs."""
    if not isinstance(value, list):
        raise ConfigError(f"{where}: 'url_rewrites' must be a list of [regex, replacement]")
    rewrites = []
    for pair in value:
        if (not isinstance(pair, list) or len(pair) != 2
                or not all(isinstance(p, str) for p in pair)):
            raise ConfigError(f"{where}: 'url_rewrites' entries must be [regex, replacement]"
                              f" pairs of strings, not {pair!r}")
        try:
            rewrites.append((re.compile(pair[0]), pair[1]))
        except re.error as exc:
            raise ConfigError(f"{where}: 'url_rewrites' has an invalid regex "
                              f"{pair[0]!r}: {exc}") from None
    return tuple(rewrites)
