"""HTML articles (``.html``/``.htm`` files, pages fetched by the URL loader, sniffed stdin).

The main text is found by trafilatura (``extract(output_format="xml",
include_formatting=True)``), which drops navigation, share buttons, comments, related
links and cookie banners; its XML is walked so that headings and list items stay their
own blocks. Code listings and tables are left out (they do not read well aloud); images
are dropped; links become their text.

Metadata, all optional:

* headline: trafilatura's title (``og:title``, ``<title>`` without the site name, ``<h1>``);
  a first heading repeating it is dropped from the body;
* byline: trafilatura's author (``<meta name="author">``, JSON-LD, byline markup);
* published: the most precise of ``article:published_time``, JSON-LD ``datePublished``,
  ``<time datetime>`` and similar, else trafilatura's date; always timezone-aware
  (UTC when the page gives none);
* language: ``<html lang>``, ``Content-Language`` or ``og:locale`` as a BCP 47 tag
  (default ``en``);
* source URL: the canonical URL (``<link rel="canonical">``/``og:url``), resolved against
  the page's own URL when relative, else the URL the page was fetched from.

When trafilatura finds nothing, a plain walk over headings, paragraphs and list items
outside navigation, headers, footers and asides takes over; a page with no article text at
all (only navigation, scripts or markup) raises InputError "no article text found".

The steps, one module each: :mod:`.meta` (metadata), :mod:`.walls` (login walls and
paywalls), :mod:`.prune` (page chrome removed before trafilatura reads the tree),
:mod:`.walk` (trafilatura's XML into blocks), :mod:`.fallback` (the plain walk),
:mod:`.repair` (split bodies, preview paragraphs, the standfirst), :mod:`.headline`;
:mod:`.extract` runs them in order. :mod:`.tree` holds what they share.
"""

from newsaudio.loaders.html.extract import LOADER, HtmlLoader, parse_html
from newsaudio.loaders.html.headline import choose_headline, strip_site_name
from newsaudio.loaders.html.walls import access_wall

__all__ = [
    "LOADER",
    "HtmlLoader",
    "access_wall",
    "choose_headline",
    "parse_html",
    "strip_site_name",
]
