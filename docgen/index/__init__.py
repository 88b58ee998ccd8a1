"""The knowledge base: chunks of the docs, embedded and stored, searched and asked."""
