from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount


def user_data_export(*, user) -> dict:
    """Everything the site keeps about the person, as JSON-ready data: the account, its
    addresses and connected accounts, memberships, notice preferences, what they said they
    watch or not, and what they wrote: comments and suggested changes."""
    from groups.models import Membership
    from recommendations.models import Comment, Watch
    from recommendations.selectors.suggestions import suggestions_by

    memberships = Membership.objects.filter(user=user).select_related("working_group")
    comments = Comment.objects.filter(author=user).order_by("created_at")
    watches = Watch.objects.filter(user=user).select_related(
        "working_group", "recommendation__working_group"
    )
    return {
        "account": {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "language": user.language,
            "affiliation": user.affiliation,
            "organization": user.organization,
            "translates_into": user_translator_languages(user=user),
            "proofreads": user_proofread_languages(user=user),
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "connected_accounts": [
            {"provider": a.provider, "uid": a.uid, "username": a.extra_data.get("username")}
            for a in SocialAccount.objects.filter(user=user).order_by("pk")
        ],
        "memberships": [
            {
                "working_group": m.working_group.name,
                "role": m.role,
                "affiliation": m.affiliation,
                "joined_on": m.joined_on.isoformat() if m.joined_on else None,
                "left_on": m.left_on.isoformat() if m.left_on else None,
            }
            for m in memberships
        ],
        "notice_preferences": {
            p.topic: p.delivery for p in user.notice_preferences.order_by("topic")
        },
        "watches": [
            {
                "working_group": (w.working_group or w.recommendation.working_group).name,
                "recommendation": w.recommendation.number if w.recommendation else None,
                "watching": w.watching,
                "changed_at": w.updated_at.isoformat(),
            }
            for w in watches
        ],
        "comments": [
            {
                "thread": c.thread_id,
                "body": c.body,
                "created_at": c.created_at.isoformat(),
            }
            for c in comments
        ],
        "suggestions": [
            {
                "recommendation": s.version.recommendation.number,
                "working_group": s.version.recommendation.working_group.name,
                "version": s.version.name,
                "target": s.target,
                "quote": s.quote,
                "after_line": s.after_line,
                "replacement": s.replacement,
                "reason": s.reason,
                "state": s.state,
                "created_at": s.created_at.isoformat(),
            }
            for s in suggestions_by(user=user)
        ],
    }


def user_profile(*, user) -> dict:
    """What the profile page lists besides its form, in three queries: among it, the names
    of the languages the core team assigned the person to proofread (read from their row)."""
    from django.conf import settings

    from groups.models import Membership

    names = dict(settings.LANGUAGES)
    proofreads = user_proofread_languages(user=user)
    return {
        "proofreads": [names[code] for code in proofreads if code in names],
        "email_addresses": list(
            EmailAddress.objects.filter(user=user).order_by("-primary", "email")
        ),
        "connected_accounts": list(SocialAccount.objects.filter(user=user).order_by("pk")),
        "memberships": list(
            Membership.objects.active()
            .filter(user=user)
            .select_related("working_group", "user")
            .order_by("working_group__name")
        ),
    }


def user_translator_languages(*, user) -> list[str]:
    """The languages the person volunteered to translate into, as they chose them."""
    return list(user.translates_into or [])


def user_proofread_languages(*, user) -> list[str]:
    """The languages the core team assigned the person to proofread."""
    return list(user.proofreads or [])
