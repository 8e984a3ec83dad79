from allauth.socialaccount.providers.mediawiki.provider import MediaWikiProvider


class WikimediaProvider(MediaWikiProvider):
    """allauth's MediaWiki provider, named for the Wikimedia projects, keeping the profile's
    `blocked` flag (which the adapter refuses) along with what allauth keeps."""

    name = "Wikimedia"
    # allauth finds the provider's views and URLs in this package.
    package = "allauth.socialaccount.providers.mediawiki"

    def extract_extra_data(self, data):
        extra = super().extract_extra_data(data)
        extra["blocked"] = bool(data.get("blocked"))
        return extra
