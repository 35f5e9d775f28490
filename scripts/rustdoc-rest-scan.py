#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Finds reStructuredText that leaked into rustdoc's HTML.

Run by scripts/docs-check on each crate's directory under target/doc. rustdoc renders
a crate's documentation as Markdown: reST included into it shows as raw markup. This
reads the text a reader sees (HTML comments, scripts and styles left out; inline code
kept between backquotes, as Markdown writes it) and reports, with the page and the
line of text:

- an SPDX-License-Identifier line (the licence tag of a source file, not documentation);
- a reST directive or target line (``.. code-block:: rust``, ``.. _label:``);
- a reST role (``:ref:`...```, ``:doc:``, ``:c:func:``) or hyperlink reference (```Title`_``);
- a run of four or more ``=``, ``-``, ``~`` or ``^`` outside code (section underlines,
  table borders);
- a paragraph, list item, table cell or heading that ends with ``::`` (reST's marker of
  a literal block);
- on the crate's and its modules' front pages (index.html), a link rustdoc could not
  resolve: ``[`name`]`` left as text, or a link whose target is still a Rust path
  (``href="embedded_hal::i2c::I2c"``). Item pages are left out: bitflags generates
  docs with such links into them.

The rendered source view (``src/``) is not read: it shows source files, SPDX lines
included, on purpose. Exits 1 if anything was found, and 2 if there was nothing to scan.
With --self-test it checks itself instead, on pages made for the purpose.
"""

import html.parser
import os
import re
import sys

SKIP = {"script", "style", "template", "noscript"}
BLOCKS = {"p", "li", "dt", "dd", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "summary"}

RULES = [
    ("SPDX line", re.compile(r"SPDX-License-Identifier")),
    ("reST directive", re.compile(r"(^|\s)\.\. [A-Za-z][\w:-]*::")),
    ("reST target", re.compile(r"(^|\s)\.\. _[^:\n]+:")),
    ("reST role", re.compile(r"(?<![\w`]):[a-z][\w+.-]*(:[a-z][\w+.-]*)?:`")),
    ("reST hyperlink reference", re.compile(r"`_(?!\w)")),
    ("unresolved link", re.compile(r"\[`[^`]*`\]")),
]
UNDERLINE = re.compile(r"(={4,}|-{4,}|~{4,}|\^{4,})")


class Page(html.parser.HTMLParser):
    """Collects the visible text of a page, block by block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.pre = 0
        self.block = []
        self.blocks = []
        self.code_text = []
        self.bad_hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIP:
            self.skip += 1
        elif tag == "pre":
            self.pre += 1
        elif tag == "code":
            if not self.pre:
                self.block.append("`")
        elif tag in BLOCKS or tag == "br":
            self.flush()
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if "://" not in href and re.search(r"::|^\w+@", href):
                self.bad_hrefs.append(href)

    def handle_endtag(self, tag):
        if tag in SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
        elif tag == "code":
            if not self.pre:
                self.block.append("`")
        elif tag in BLOCKS:
            self.flush()

    def handle_data(self, data):
        if self.skip:
            return
        if self.pre:
            self.code_text.append(data)
        else:
            self.block.append(data)

    def flush(self):
        text = "".join(self.block)
        self.block = []
        if text.strip():
            self.blocks.append(text)


def scan(path):
    """Returns (rule, text) for each finding in the page at path."""
    front = os.path.basename(path) == "index.html"
    page = Page()
    with open(path, encoding="utf-8", errors="replace") as f:
        page.feed(f.read())
    page.close()
    page.flush()
    found = []
    for text in page.blocks:
        prose = re.sub(r"`[^`]*`", "``", text)
        for line in text.splitlines():
            for rule, pattern in RULES:
                if rule == "unresolved link" and not front:
                    continue
                if pattern.search(line):
                    found.append((rule, line.strip()))
        for line in prose.splitlines():
            if UNDERLINE.search(line):
                found.append(("reST underline or table border", line.strip()))
        if prose.rstrip().endswith("::"):
            found.append(("paragraph ending in '::'", text.strip()[-80:]))
    for href in page.bad_hrefs if front else []:
        found.append(("unresolved link", f'href="{href}"'))
    for text in page.code_text:
        for line in text.splitlines():
            if RULES[0][1].search(line):
                found.append(("SPDX line in a code block", line.strip()))
    return found


SELF_TEST_BAD = """<html><head><script>var x = "====";</script></head><body>
<h2>.. SPDX-License-Identifier: GPL-2.0 OR MIT</h2>
<p>.. code-block:: rust</p>
<p>.. _bus-recovery:</p>
<p>see <code>Bus recovery</code>_ and :ref:<code>label</code></p>
<p>============================  ===========</p>
<p>A literal block follows::</p>
<p>the [<code>I2c</code>] trait</p>
<pre><code>// SPDX-License-Identifier: MIT</code></pre>
</body></html>
"""
SELF_TEST_GOOD = """<html><head><style>p::before { content: "===="; }</style></head><body>
<!-- SPDX-License-Identifier: GPL-2.0 OR MIT -->
<h2>Quick start</h2>
<p>Call <code>sifive_i2c::I2c::new</code>; a path such as <code>core::</code> is code.</p>
<pre><code>let divider = "====";
x::y::z();</code></pre>
<table><tr><td>Error</td><td>ENXIO (6)</td></tr></table>
<p><a href="struct.I2c.html">I2c</a>, <a href="https://docs.rs/x/latest/x/a::b">x</a></p>
</body></html>
"""


def self_test():
    """Checks the scanner on one page with each marker and one with none."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for name, text in (("bad", SELF_TEST_BAD), ("good", SELF_TEST_GOOD)):
            os.mkdir(os.path.join(tmp, name))
            path = os.path.join(tmp, name, "index.html")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            results[name] = {rule for rule, _ in scan(path)}
    want = {rule for rule, _ in RULES}
    want |= {"reST underline or table border", "paragraph ending in '::'",
             "SPDX line in a code block"}
    ok = results["bad"] == want and not results["good"]
    if not ok:
        print(f"rustdoc-rest-scan: self-test failed: bad page {sorted(results['bad'])}, "
              f"good page {sorted(results['good'])}", file=sys.stderr)
        return 1
    print(f"rustdoc-rest-scan: self-test passed ({len(want)} kinds of marker found, "
          "none on the clean page)")
    return 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    if len(sys.argv) < 2:
        print("usage: rustdoc-rest-scan.py DOC_DIR...", file=sys.stderr)
        return 2
    pages = 0
    findings = 0
    for top in sys.argv[1:]:
        for root, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if os.path.join(root, d) != os.path.join(top, "src"))
            for name in sorted(files):
                if not name.endswith(".html"):
                    continue
                path = os.path.join(root, name)
                pages += 1
                for rule, text in scan(path):
                    findings += 1
                    if len(text) > 100:
                        text = text[:97] + "..."
                    print(f"{path}: {rule}: {text}")
    if pages == 0:
        print("rustdoc-rest-scan: no HTML pages found", file=sys.stderr)
        return 2
    print(f"rustdoc-rest-scan: {pages} pages, {findings} findings")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
