"""Structural accessibility of every rendered page (WCAG 2.1 AA basics the templates promise):
one h1, headings without skipped levels, unique ids, labelled navigation, alt text on images,
a skip link to the main landmark, the page language."""

from collections import Counter
from html.parser import HTMLParser
from io import StringIO
from itertools import pairwise
from urllib.parse import urlsplit

from django.core.management import call_command
from django.test import TestCase
from wagtail.models import Page


class Structure(HTMLParser):
    def __init__(self):
        super().__init__()
        self.headings, self.ids, self.problems = [], Counter(), []
        self.landmarks = Counter()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append(int(tag[1]))
        if "id" in attrs:
            self.ids[attrs["id"]] += 1
        if tag in {"main", "header", "footer", "nav"}:
            self.landmarks[tag] += 1
            if tag == "nav" and not (attrs.get("aria-label") or attrs.get("aria-labelledby")):
                self.problems.append("nav without a label")
        if tag == "img" and "alt" not in attrs:
            self.problems.append(f"img without alt: {attrs.get('src')}")
        if (
            tag == "a"
            and attrs.get("target") == "_blank"
            and "noopener" not in attrs.get("rel", "")
        ):
            self.problems.append("target=_blank without rel=noopener")


class PageStructureTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())

    def test_every_page_of_both_sites(self):
        for page in Page.objects.live().filter(depth__gt=1):
            url = urlsplit(page.get_full_url())
            with self.subTest(url=url.path, host=url.hostname):
                response = self.client.get(url.path, HTTP_HOST=url.hostname)
                html = response.content.decode()
                parser = Structure()
                parser.feed(html)
                self.assertEqual(parser.headings.count(1), 1, "exactly one h1")
                self.assertEqual(parser.headings[0], 1, "the h1 comes first")
                jumps = [(a, b) for a, b in pairwise(parser.headings) if b > a + 1]
                self.assertEqual(jumps, [], "no skipped heading levels")
                self.assertEqual([i for i, n in parser.ids.items() if n > 1], [], "unique ids")
                self.assertEqual(parser.landmarks["main"], 1)
                self.assertGreaterEqual(parser.landmarks["nav"], 1)
                self.assertEqual(parser.problems, [])
                self.assertIn('href="#main"', html)
                self.assertEqual(parser.ids["main"], 1, "the skip link's target exists")
                self.assertRegex(html, r'<html lang="cs"')
