"""Saved RSS and Atom feeds as inputs (issue #28): an index built from the feeds a user trusts catches a
verbatim copy that carries nothing but ordinary chrome, which no reading of its words can."""

from __future__ import annotations

import html
import json
import random

from click.testing import CliRunner
from index_stories import BRIDGE, FACTORY, ORCHESTRA, UNRELATED

from spindetect.cli import main
from spindetect.io._readers import iter_inputs
from training.generators.theme_pages import THEMES, theme_page


def _rss(entries: list[tuple[str, str, str]]) -> str:
    items = "".join(
        f"<item><title>{html.escape(title)}</title><link>{link}</link><description>A teaser.</description>"
        f"<content:encoded><![CDATA[{''.join(f'<p>{p}</p>' for p in body.split(chr(10) * 2))}]]></content:encoded>"
        f"</item>" for title, link, body in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Wire</title>'
            f"{items}</channel></rss>")


def _atom(title: str, link: str, body: str) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>'
            f'<entry><title>{html.escape(title)}</title><id>urn:wire:1</id><link rel="alternate" href="{link}"/>'
            f'<content type="html">{html.escape("".join(f"<p>{p}</p>" for p in body.split(chr(10) * 2)))}</content>'
            "</entry></feed>")


def test_every_entry_of_a_feed_is_a_document_named_by_its_link(tmp_path):
    rss = tmp_path / "wire.rss"
    rss.write_text(_rss([("Bridge", "https://wire.example/bridge", BRIDGE),
                         ("Orchestra", "https://wire.example/orchestra", ORCHESTRA)]), encoding="utf-8")
    atom = tmp_path / "wire.atom"
    atom.write_text(_atom("Factory", "https://wire.example/factory", FACTORY), encoding="utf-8")
    items = list(iter_inputs([str(rss), str(atom)]))
    assert [item.id for item in items] == ["https://wire.example/bridge", "https://wire.example/orchestra",
                                          "https://wire.example/factory"]
    assert [item.input for item in items] == [f"{rss}#1", f"{rss}#2", f"{atom}#1"]
    # The full article, not the teaser beside it.
    assert all(item.error is None and "A teaser" not in item.html for item in items)
    assert BRIDGE.split(".")[0] in items[0].html


def test_what_is_not_a_feed_gives_one_error_record_and_entities_are_not_resolved(tmp_path):
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text('<?xml version="1.0"?><urlset><url><loc>https://x.example/</loc></url></urlset>')
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    hostile = tmp_path / "hostile.rss"
    hostile.write_text(f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
                       '<rss><channel><item><title>t</title><description>&x; body</description></item>'
                       '</channel></rss>')
    empty = tmp_path / "empty.rss"
    empty.write_text("")
    (not_feed,), (entry,), (nothing,) = (list(iter_inputs([str(path)])) for path in (sitemap, hostile, empty))
    assert not_feed.error.kind == "not_a_feed"
    assert "TOP SECRET" not in (entry.html or "")
    assert nothing.error.kind == "not_a_feed"


def test_an_index_built_from_a_feed_catches_a_chrome_only_copy(tmp_path):
    feed = tmp_path / "wire.rss"
    article = "\n\n".join((BRIDGE, FACTORY, ORCHESTRA))  # long enough to be an article (NEEDS_INDEX_MIN_WORDS)
    feed.write_text(_rss([("Bridge reopens", "https://wire.example/bridge", article),
                          ("Elsewhere", "https://wire.example/elsewhere", UNRELATED)]), encoding="utf-8")
    index = tmp_path / "originals"
    added = CliRunner().invoke(main, ["index", "add", str(index), str(feed)])
    assert added.exit_code == 0 and json.loads(added.stdout)["added"] == 2
    page = theme_page("Bridge reopens", article.split("\n\n"), ["One other story here", "Two other story here",
                                                               "Three other story here"], THEMES[0], "none",
                      random.Random(0))
    copy = tmp_path / "copy.html"
    copy.write_text(page.html, encoding="utf-8")

    def score(*args):
        result = CliRunner().invoke(main, ["score", "--fast", "--format", "jsonl", *args, str(copy)])
        return json.loads(result.stdout.splitlines()[0])

    alone, traced = score(), score("--index", str(index))
    assert not alone["flagged"] and "needs_index" in alone["note"]
    assert traced["source"]["id"] == "https://wire.example/bridge" and traced["flagged"]
    assert traced["label"] == "copy" and "needs_index" not in (traced["note"] or "")
