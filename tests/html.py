"""Read the minutes page the way a reader does: sections, headings, bullets."""

import json
import re
from html.parser import HTMLParser

BLOCK_TAGS = {"td", "th", "tr", "li", "p", "div", "ul", "h1", "h2", "h3", "section", "br"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.remarks = []  # [(heading, [statements])]
        self.texts_by_id = {}
        self._capture = None
        self._buffer = []
        self._id_stack = []

    def _separate(self, tag):
        # Block boundaries read as a space, as they do on screen.
        if tag in BLOCK_TAGS:
            for entry in self._id_stack:
                entry[3].append(" ")

    def handle_starttag(self, tag, attrs):
        self._separate(tag)
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if attrs.get("id"):
            self._id_stack.append([attrs["id"], tag, 0, []])
        for entry in self._id_stack:
            if entry[1] == tag:
                entry[2] += 1
        if tag == "h3" and "speaker" in classes:
            self._capture, self._buffer = "heading", []
        elif tag == "li" and "statement" in classes:
            self._capture, self._buffer = "statement", []

    def handle_endtag(self, tag):
        self._separate(tag)
        if tag == "h3" and self._capture == "heading":
            self.remarks.append(("".join(self._buffer).strip(), []))
            self._capture = None
        elif tag == "li" and self._capture == "statement":
            self.remarks[-1][1].append("".join(self._buffer).strip())
            self._capture = None
        for entry in list(self._id_stack):
            if entry[1] == tag:
                entry[2] -= 1
                if entry[2] == 0:
                    self._id_stack.remove(entry)
                    self.texts_by_id[entry[0]] = " ".join("".join(entry[3]).split())

    def handle_data(self, data):
        if self._capture:
            self._buffer.append(data)
        for entry in self._id_stack:
            entry[3].append(data)


def read_minutes(response):
    """(remarks, texts_by_id): remarks as [(heading, [statements])] in page order."""
    collector = _Collector()
    collector.feed(response.content.decode())
    return collector.remarks, collector.texts_by_id


def json_script(response, element_id):
    """The value a page hands its script in <script id=... type="application/json">."""
    found = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert found, f"no {element_id} script on the page"
    return json.loads(found.group(1))
