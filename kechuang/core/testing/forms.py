"""What a browser sends when a page's form is submitted as the page shows it.

Tests of "a form saved unchanged" post this back: the values as rendered, with the browser's
own rules (disabled controls and unchecked boxes are not sent, a select without a selected
option sends its first option, a textarea drops the newline after its start tag and sends its
line breaks as CRLF).
"""

from html.parser import HTMLParser

_NOT_SENT = frozenset({"submit", "button", "reset", "image", "file"})


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found = False
        self.inside = False
        self.pairs: list[tuple[str, str]] = []
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            # the page's own form: the first that posts back to the page (no ``action``)
            self.inside = not self.found and not a.get("action")
            self.found = self.found or self.inside
            return
        if not self.inside:
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if "disabled" in a or not a.get("name") or kind in _NOT_SENT:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self.pairs.append((a["name"], a.get("value", "on")))
                return
            self.pairs.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self._select = {"name": a.get("name"), "disabled": "disabled" in a,
                            "multiple": "multiple" in a, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "text": "", "selected": "selected" in a}
            self._select["options"].append(self._option)
        elif tag == "textarea":
            self._textarea = {"name": a.get("name"), "disabled": "disabled" in a, "text": ""}

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        elif self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            self._end_select(self._select)
            self._select = self._option = None
        elif tag == "textarea" and self._textarea is not None:
            area, self._textarea = self._textarea, None
            if area["name"] and not area["disabled"]:
                text = area["text"].removeprefix("\n")
                self.pairs.append((area["name"],
                                   text.replace("\r\n", "\n").replace("\n", "\r\n")))

    def _end_select(self, select: dict) -> None:
        if not select["name"] or select["disabled"]:
            return
        options = select["options"]
        chosen = [o for o in options if o["selected"]]
        if not select["multiple"]:
            chosen = chosen[-1:] or options[:1]
        for o in chosen:
            value = o["value"] if o["value"] is not None else o["text"].strip()
            self.pairs.append((select["name"], value))


def form_as_shown(html: str) -> dict[str, list[str]]:
    """The page's own form (the first without an ``action``: the navigation bar's log-out
    form has one) as a browser submits it untouched, in the shape the test client posts
    (``{name: [values]}``)."""
    reader = _FormReader()
    reader.feed(html)
    reader.close()
    data: dict[str, list[str]] = {}
    for name, value in reader.pairs:
        data.setdefault(name, []).append(value)
    return data
