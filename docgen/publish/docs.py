"""The docs folder: generated reference pages and, when the docs have none, a home page.

docgen owns only what it wrote: the pages listed in the last build's record. A page the
user put beside them is never touched.
"""

from __future__ import annotations

from docgen.config import Config
from docgen.files import write_if_changed
from docgen.generate.reference import Page
from docgen.model import Document
from docgen.scan.markdown import GENERATED_HOME_MARKER


def write_docs(
    config: Config, pages: tuple[Page, ...], documents: tuple[Document, ...], previous: set[str]
) -> list[str]:
    """Write the generated pages, and the home page when it does not come from the docs
    folder (the README, or a generated one: see `with_home_page`); remove the pages of
    `previous` (what docgen wrote last time) that are no longer generated.

    Returns the paths written or removed; unchanged pages are left alone (their mtimes
    tell MkDocs' dirty mode what to re-render).
    """
    docs = config.docs_path
    written = [page.path for page in pages if write_if_changed(docs / page.path, page.markdown)]
    for path in sorted(previous - {page.path for page in pages}):
        stale = docs / path
        if stale.is_file():
            stale.unlink()
            written.append(path)
    docs_prefix = config.docs_dir.strip("/") + "/"
    for document in documents:
        if not document.source.startswith(docs_prefix):
            if write_if_changed(docs / document.path, f"{GENERATED_HOME_MARKER}\n\n{document.text}"):
                written.append(document.path)
    return written


def with_home_page(config: Config, documents: tuple[Document, ...]) -> tuple[Document, ...]:
    """`documents`, with a generated home page first when neither the docs nor a README
    provide one: MkDocs makes `index.html` only from `index.md`."""
    if any(d.path in ("index.md", "README.md") for d in documents):
        return documents
    reference = f"{config.reference_dir.strip('/')}/index.md"
    text = f"# {config.name}\n\nThe [reference]({reference}) documents the code of {config.name}.\n"
    return (Document(path="index.md", source="", title=config.name, text=text), *documents)
