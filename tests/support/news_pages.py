"""Saved-looking news pages for the HTML and URL loader tests (made here, not downloaded)."""

from __future__ import annotations

ARTICLE_SENTENCES = [
    "The harbour library reopened on Monday after a two-year refit that cost the town "
    "3.2 million euros, with a new reading room overlooking the quay.",
    "Dr. Okafor, who chairs the library trust, said the building had been saved from damp "
    "just in time.",
    "The refit added a lift, a children's floor and a small café run by volunteers.",
    "Entry remains free for everyone, and the trust hopes to double visitor numbers by 2026.",
]
LIST_ITEMS = ["A lift to every floor", "A children's floor with 4,000 new books"]
CHROME = [
    "We use cookies",
    "Accept all cookies",
    "Home",
    "Sport",
    "Share on Facebook",
    "Tweet",
    "Ferry timetable changes",
    "Quay repairs delayed again",
    "Great news, finally",
    "Leave a Reply",
    "Your email address",
    "Required fields",
    "All rights reserved",
    "Privacy",
    "Subscribe to our newsletter",
    "Most read",
    "dataLayer",
]

NEWS_PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Harbour library reopens after two-year refit | The Coastal Courier</title>
<link rel="canonical" href="https://www.coastalcourier.example/news/2024/03/harbour-library">
<meta property="og:title" content="Harbour library reopens after two-year refit">
<meta property="og:site_name" content="The Coastal Courier">
<meta name="author" content="Mara Lindqvist">
<meta property="article:published_time" content="2024-03-04T08:30:00+01:00">
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{page: "article"}});</script>
<style>.cookie-banner {{ position: fixed; }}</style>
</head>
<body>
<div class="cookie-banner" id="cookie-notice">We use cookies to improve your experience on
our site. <button>Accept all cookies</button> <a href="/cookies">Cookie settings</a></div>
<header class="site-header">
  <a class="logo" href="/">The Coastal Courier</a>
  <nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
  <li><a href="/sport">Sport</a></li><li><a href="/opinion">Opinion</a></li></ul></nav>
  <form class="search"><input name="q"><button>Search</button></form>
</header>
<main>
<article>
  <h1>Harbour library reopens after two-year refit</h1>
  <p class="byline">By <a href="/authors/mara" rel="author">Mara Lindqvist</a></p>
  <time datetime="2024-03-04T08:30:00+01:00">4 March 2024</time>
  <div class="share"><a href="#">Share on Facebook</a> <a href="#">Tweet</a>
  <a href="#">Email</a></div>
  <p>{s0}</p>
  <p>{s1} &ldquo;We nearly lost the whole archive,&rdquo; she said.</p>
  <h2>What has changed</h2>
  <p>{s2}</p>
  <ul><li>{l0}</li><li>{l1}</li></ul>
  <p>{s3}</p>
  <figure><img src="/img/library.jpg" alt="The library">
  <figcaption>Photo: John Doe/Coastal Courier</figcaption></figure>
  <div class="newsletter"><p>Subscribe to our newsletter for the latest news.</p></div>
</article>
<aside class="related"><h3>Most read</h3><ul>
  <li><a href="/a">Ferry timetable changes</a></li>
  <li><a href="/b">Quay repairs delayed again</a></li></ul></aside>
<section id="comments" class="comments"><h3>12 Comments</h3>
  <div class="comment"><p>Great news, finally! I grew up in that library.</p></div>
  <div id="respond"><h3>Leave a Reply</h3>
  <p>Your email address will not be published. Required fields are marked *</p></div>
</section>
</main>
<footer><p>Copyright © 2024 The Coastal Courier. All rights reserved.</p>
<a href="/privacy">Privacy</a></footer>
</body></html>
""".format(
    s0=ARTICLE_SENTENCES[0],
    s1=ARTICLE_SENTENCES[1],
    s2=ARTICLE_SENTENCES[2].replace("'", "&#39;"),
    s3=ARTICLE_SENTENCES[3],
    l0=LIST_ITEMS[0],
    l1=LIST_ITEMS[1],
)

NAV_ONLY_PAGE = """<!DOCTYPE html><html><head><title>Menu</title>
<script>document.write("Loading the application, please wait for it to start.");</script>
</head><body><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/about">About us</a></li></ul></nav>
<script>var app = {start: function () { return "a long string of words in a script"; }};</script>
</body></html>"""
