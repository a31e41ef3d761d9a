"""Use cases. Views and CLI commands call these; they flush, the caller commits."""
