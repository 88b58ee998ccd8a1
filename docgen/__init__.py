"""docgen: turn a code repository into living documentation."""

__version__ = "0.1.0"
