"""Links in the user's own Markdown that lead nowhere: a file of the repository or a page
of the site that does not exist. Links to other sites are not followed (nothing is fetched).
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from docgen.model import Document
from docgen.problems import Problem

_PARSER = MarkdownIt("commonmark")


def broken_links(documents: tuple[Document, ...], root: Path, docs_dir: str, site_pages: set[str]) -> list[Problem]:
    """A problem per link of `documents` to a path that is neither one of `site_pages`
    (the docs-relative paths of the site's pages) nor a file of the project. Links are
    read as MkDocs reads them: from where the page is published in the docs folder (a
    README published as the home page has had its links rewritten for that place)."""
    problems = []
    docs = docs_dir.strip("/")
    for document in documents:
        for line, target in _links(document.text):
            path = _local_path(target)
            if path is None:
                continue
            in_docs = posixpath.normpath(posixpath.join(posixpath.dirname(document.path), path))
            if in_docs.startswith("../"):
                in_repo = posixpath.normpath(posixpath.join(docs, in_docs))
                if in_repo.startswith("../") or _exists(root, in_repo):
                    continue  # outside the project: not docgen's to read
            elif _is_page(in_docs, site_pages) or _exists(root, posixpath.join(docs, in_docs)):
                continue
            if _is_page(_from_url(document.path, path), site_pages):
                continue  # written against the page's URL, as directory URLs let MkDocs serve it
            problems.append(Problem("broken-link", f"link to `{target}`, which does not exist", document.source, line))
    return problems


def _links(text: str) -> list[tuple[int, str]]:
    """(1-based line, target) of each link and image in `text`, code left out."""
    found = []
    for token in _PARSER.parse(text):
        if token.type != "inline" or token.map is None or not token.children:
            continue
        line = token.map[0] + 1
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type in ("link_open", "image"):
                target = _attribute(child, "href" if child.type == "link_open" else "src")
                if target:
                    found.append((line, target))
    return found


def _attribute(token: Token, name: str) -> str:
    value = token.attrGet(name)
    return str(value) if value is not None else ""


def _local_path(target: str) -> str | None:
    """The path part of a link into the project, or None for another site, a mail
    address, an anchor on the same page or an absolute path (the site's own root)."""
    if ":" in target.split("/", 1)[0] or target.startswith(("#", "/")):
        return None
    path = unquote(target.split("#", 1)[0].split("?", 1)[0])
    return path or None


def _exists(root: Path, path: str) -> bool:
    try:
        return (root / path).exists()
    except (OSError, ValueError):
        return False


def _from_url(page: str, path: str) -> str:
    """`path` resolved from the URL MkDocs gives `page` (`a/b.md` is served at `a/b/`)."""
    folder = posixpath.dirname(page) if posixpath.basename(page) in ("index.md", "README.md") else page.removesuffix(".md")
    return posixpath.normpath(posixpath.join(folder, path))


def _is_page(path: str, pages: set[str]) -> bool:
    """Whether `path` names one of `pages`, as MkDocs resolves links (`a/`, `a/index.md`)."""
    path = path.rstrip("/")
    return path in pages or f"{path}/index.md" in pages or f"{path}.md" in pages
