# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Sphinx configuration of the sifive-i2c documentation, set up as the kernel
# sets up its own: reST sources, an index.rst with the toctree, the
# alabaster theme, no highlighting of literal blocks unless a language is named,
# and a build that scripts/docs-check runs with -W (warnings are errors), as
# `make htmldocs SPHINXOPTS=-W` does in a kernel tree.
#
# The crates' front pages are Markdown (driver/README.md, driver/doc/manual.md,
# hal/README.md), rendered by rustdoc on docs.rs; driver.rst and hal.rst include
# them through MyST, so one text serves both.

import os
import re

_top = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def _workspace_version():
    """The crates' version, from the workspace's Cargo.toml."""
    with open(os.path.join(_top, "Cargo.toml"), encoding="utf-8") as f:
        m = re.search(r'^version = "([^"]+)"', f.read(), re.M)
    return m.group(1) if m else "unknown"


project = "sifive-i2c"
copyright = "The sifive-i2c authors"
author = "The sifive-i2c authors"
version = release = _workspace_version()

needs_sphinx = "5.3"
extensions = [
    # Markdown, for the crates' front pages that the reST pages include.
    "myst_parser",
]

source_suffix = {".rst": "restructuredtext"}
master_doc = "index"
exclude_patterns = ["output", "_build"]

# As the kernel: literal blocks (::) are not highlighted; code-block names the language.
highlight_language = "none"
pygments_style = "sphinx"
# Quotes, dashes and ellipses as written: the pages quote code and commands.
smartquotes = False
language = "en"

html_theme = "alabaster"
html_title = "sifive-i2c documentation"
html_theme_options = {
    "description": "The SiFive (OpenCores) I2C controller: driver, HAL, harness",
    "page_width": "1100px",
    "sidebar_width": "260px",
}
html_sidebars = {"**": ["about.html", "navigation.html", "searchbox.html"]}
html_static_path = []
html_copy_source = False
html_show_sourcelink = False
