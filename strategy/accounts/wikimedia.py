from allauth.socialaccount.providers.mediawiki.provider import MediaWikiProvider
from django.utils.translation import gettext_lazy as _


class WikimediaProvider(MediaWikiProvider):
    """allauth's MediaWiki provider, named for the Wikimedia projects, keeping the profile's
    `blocked` flag (which the adapter refuses) along with what allauth keeps."""

    # In the reader's language, as each language's wikis write the name.
    name = _("Wikimedia")
    # allauth finds the provider's views and URLs in this package.
    package = "allauth.socialaccount.providers.mediawiki"

    def __str__(self) -> str:
        return str(self.name)

    def extract_extra_data(self, data):
        extra = super().extract_extra_data(data)
        extra["blocked"] = bool(data.get("blocked"))
        return extra
