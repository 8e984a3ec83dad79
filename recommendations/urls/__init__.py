"""The working pages of recommendations, mounted under /workspace/ (strategy/urls.py): no
public pattern starts there, so no group slug or number can shadow one of them. Drafting
and review share the "recommendations" namespace; feedback, synthesis, translations and
watching have one each (their modules are included by strategy/urls.py)."""

from . import drafting, review, suggestions

app_name = "recommendations"

urlpatterns = drafting.urlpatterns + review.urlpatterns + suggestions.urlpatterns
