"""Fixtures of the Partnership's tests (each part keeps its helpers in a module of its own)."""
