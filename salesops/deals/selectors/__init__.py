"""Reads of the deals documents, always scoped by ``visible_to(user)``, one module per family."""
