"""Recommendations in the admin, one module per subdomain; each registers its models."""

from . import drafting, feedback, review, suggestions, synthesis, translations, watching

__all__ = ["drafting", "feedback", "review", "suggestions", "synthesis", "translations", "watching"]
