"""Stage 3: the docs folder, mkdocs.yml and the site."""

BUILDERS = ("mkdocs", "zensical")  # what may build the site from the docs folder
