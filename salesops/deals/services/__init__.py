"""Writers of the deals documents, one module per document family (services/<family>.py)."""
