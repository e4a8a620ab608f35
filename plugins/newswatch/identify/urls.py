"""One article per story URL: canonical form of a URL and the choice of a trustworthy canonical.

w3lib does the RFC-level work (percent-encoding, query order, fragments). What it cannot know is
news-specific: tracking parameters, ``www.``/``m.``/``amp.`` hosts, AMP path variants and the
trailing slash all name the same story, so they are folded here. The result is an identity key,
not a URL to fetch: the scheme is always ``https``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url as _w3lib_canonicalize

# Query parameters that only say how a reader arrived, never which story they read.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gclsrc",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref",
        "ref_src",
        "ref_url",
        "referrer",
        "cmpid",
        "ocid",
        "smid",
        "smtyp",
        "sr_share",
        "share",
        "spm",
        "at_medium",
        "at_campaign",
        "at_custom1",
        "at_custom2",
        "ito",
        "ns_mchannel",
        "ns_source",
        "ns_campaign",
        "ns_linkname",
        "ns_fee",
        "cmp",
        "src",
        "amp",
        "outputtype",
        "__twitter_impression",
        "s_cid",
        "wt.mc_id",
        "guccounter",
        "guce_referrer",
        "guce_referrer_sig",
        "rss",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "hsa_", "mkt_", "oly_", "__hs", "vero_", "trk_")
# Host prefixes that serve the same story as the bare domain.
EQUIVALENT_HOST_PREFIXES = ("www.", "m.", "amp.", "mobile.", "www2.")
DEFAULT_PORTS = {"http": "80", "https": "443"}
_AMP_SUFFIX = re.compile(r"(?:/amp/?|\.amp|/amp\.html)$", re.IGNORECASE)
_AMP_HTML = re.compile(r"\.amp\.html$", re.IGNORECASE)
_AMP_PREFIX = re.compile(r"^/amp(?=/)", re.IGNORECASE)


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonical_host(host: str) -> str:
    """Lower-case host without port and without a ``www.``/``m.``-style prefix."""
    host = host.lower().rstrip(".")
    for prefix in EQUIVALENT_HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            return host[len(prefix) :]
    return host


def _canonical_path(path: str) -> str:
    path = _AMP_HTML.sub(".html", path)
    path = _AMP_SUFFIX.sub("", path)
    path = _AMP_PREFIX.sub("", path)
    path = re.sub(r"/{2,}", "/", path)
    if len(path) > 1:
        # Empty trailing params (";") go with trailing slashes: w3lib drops a final ";" only once
        # it is last, so "/a/;/" would otherwise need two passes to reach its key.
        path = path.rstrip("/;")
    return path or "/"


def canonicalize_url(url: str) -> str:
    """The identity key of an article URL: same story, same string."""
    normalised = _w3lib_canonicalize(url.strip(), keep_fragments=False)
    parts = urlsplit(normalised)
    host = canonical_host(parts.hostname or "")
    if ":" in host:
        host = f"[{host}]"  # an IPv6 literal keeps its brackets, or the key is no longer a URL
    port = parts.port
    netloc = host if port is None or str(port) in DEFAULT_PORTS.values() else f"{host}:{port}"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    )
    return urlunsplit(("https", netloc, _canonical_path(parts.path), query, ""))


def site_of(url: str) -> str:
    """The registrable-ish site of a URL (``news.bbc.co.uk`` → ``bbc.co.uk``), for same-site checks.

    Without a public-suffix list, a two-letter country code after a short second level
    (``co.uk``, ``com.au``) is treated as one suffix; that is right for news domains in practice.
    """
    host = canonical_host(urlsplit(url).hostname or "")
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and len(labels[-2]) <= 3:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def outlet_of(url: str) -> str:
    """The outlet an article belongs to: its canonical host, with the port when not the default.

    Two servers on one host but different ports are different origins (and different outlets).
    """
    parts = urlsplit(url)
    host = canonical_host(parts.hostname or "") or "unknown"
    try:
        port = parts.port
    except ValueError:
        port = None
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return f"{host}:{port}" if port and port != default else host


def _sensible_hint(hint: str, base: str) -> bool:
    """A canonical hint is trusted only on the same site, over http(s), and not the home page."""
    parts = urlsplit(hint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    if site_of(hint) != site_of(base):
        return False
    return _canonical_path(parts.path) != "/" or _canonical_path(urlsplit(base).path) == "/"


def _chosen_url(article_url: str, final_url: str | None, canonical_hint: str | None) -> str:
    """A sane ``rel=canonical``/``og:url`` hint, else where redirects ended, as the page gave it."""
    base = final_url or article_url
    if canonical_hint:
        try:
            hint = urljoin(base, canonical_hint.strip())
            if _sensible_hint(hint, base):
                canonicalize_url(hint)  # raises ValueError for a hint that is no URL (bad port)
                return hint
        except ValueError:
            pass  # the page's hint is no URL (port 99999, unclosed '['): ignored like an off-site one
    return base


def choose_canonical(article_url: str, final_url: str | None, canonical_hint: str | None) -> str:
    """Pick the identity URL: a sane ``rel=canonical``/``og:url``, else where redirects ended."""
    return canonicalize_url(_chosen_url(article_url, final_url, canonical_hint))


def choose_link(article_url: str, final_url: str | None, canonical_hint: str | None) -> str:
    """The URL readers should open: the same choice, but as published (scheme, host and query
    kept, fragment dropped). The identity key folds ``http``/``www.``/``m.``, which need not
    resolve on every site, so e-mails and pages link to this instead."""
    chosen = _chosen_url(article_url, final_url, canonical_hint)
    return urlunsplit(urlsplit(chosen)._replace(fragment=""))
