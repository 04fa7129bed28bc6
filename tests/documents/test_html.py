import html
import re

from caseaudit.documents.html import render_html
from tests.documents.sample import HOSTILE, TITLE, every_block_document


def _visible_text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def test_it_escapes_every_text():
    markup = str(render_html(every_block_document()))
    assert "<script>" not in markup
    assert "<b>" not in markup
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &amp;amp; &lt;b&gt;" in markup
    text = _visible_text(markup)
    for hostile in HOSTILE:
        assert hostile in text
    assert TITLE in text


def test_it_uses_govuk_classes_and_heading_levels():
    markup = str(render_html(every_block_document()))
    assert re.findall(r"<(h\d) class=\"([^\"]+)\"", markup)[:4] == [
        ("h1", "govuk-heading-xl"),
        ("h2", "govuk-heading-m"),  # the contents
        ("h2", "govuk-heading-l"),
        ("h3", "govuk-heading-m"),
    ]
    assert '<table class="govuk-table">' in markup
    assert 'class="govuk-table__cell govuk-table__cell--numeric">12<' in markup
    assert '<ul class="govuk-list govuk-list--bullet">' in markup
    assert '<ol class="govuk-list govuk-list--number">' in markup
    assert 'href="https://example.org/?a=1&amp;b=&lt;2&gt;"' in markup
    assert '<svg class="app-chart"' in markup


def test_the_contents_links_to_every_heading():
    markup = str(render_html(every_block_document()))
    targets = re.findall(r'href="#([^"]+)"', markup)
    ids = re.findall(r'<h[2-4][^>]* id="([^"]+)"', markup)
    assert targets
    assert set(targets) <= set(ids)
    assert len(ids) == len(set(ids))


def test_standalone_is_a_whole_page_with_language_and_title():
    page = render_html(every_block_document(), standalone=True)
    assert page.startswith('<!DOCTYPE html>\n<html lang="en-GB">')
    assert "<title>Audit &lt;report&gt; #1 &amp; &quot;quotes&quot;</title>" in page
