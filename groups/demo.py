"""The reference case's groups and fictional demo people. Safe to load twice: every row is
found by its natural key and updated, never duplicated."""

import json
from datetime import date
from functools import cache
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from strategy.demo import translated_fields
from strategy.email_addresses import email_address_mark_verified

from .models import (
    Affiliation,
    FormerName,
    GuidingQuestion,
    Membership,
    Role,
    ThematicArea,
    WorkingGroup,
)

DATA_FILE = Path(__file__).parent / "demo_data" / "reference_case.json"
DEMO_PASSWORD = "strategy-demo"
# The day the working group members were announced.
MEMBERS_ANNOUNCED = date(2018, 7, 20)

# Fictional people: (username, first name, last name, staff?, superuser?)
ACCOUNTS = [
    ("admin", "Ada", "Admin", True, True),
    ("core", "Corinne", "Okafor", True, False),
    ("coordinator", "Kofi", "Mensah", False, False),
    ("member", "Mei", "Lin", False, False),
    ("liaison", "Lars", "Berg", False, False),
    ("reviewer", "Rania", "Haddad", False, False),
    ("writer", "Wanjiru", "Kamau", False, False),
    ("connector", "Carlos", "Ibarra", False, False),
    ("community", "Chen", "Yu", False, False),
]
# The roles the demo accounts hold: (username, group slug, role, affiliation).
ROLES = [
    ("coordinator", "advocacy", Role.COORDINATOR, Affiliation.ORGANIZED_GROUP_STAFF),
    ("coordinator", "steering", Role.MEMBER, Affiliation.ORGANIZED_GROUP_STAFF),
    ("member", "advocacy", Role.MEMBER, Affiliation.INDIVIDUAL),
    ("liaison", "advocacy", Role.CORE_TEAM_LIAISON, Affiliation.ORGANIZED_GROUP_STAFF),
    ("reviewer", "synthesis", Role.REVIEWER, Affiliation.ORGANIZED_GROUP_BOARD),
    ("writer", "synthesis", Role.WRITER, Affiliation.INDIVIDUAL),
    ("writer", "community-health", Role.MEMBER, Affiliation.INDIVIDUAL),
    ("connector", "synthesis", Role.CONNECTOR, Affiliation.ORGANIZED_GROUP_STAFF),
    ("connector", "synthesis", Role.REVIEWER, Affiliation.ORGANIZED_GROUP_STAFF),
]
# A few more fictional members per thematic group, so that group pages show a group.
EXTRA_FIRST = ["Amara", "Bao", "Dalia", "Emil", "Fatou", "Goran", "Hana", "Ishaan", "Joana"]
EXTRA_LAST = ["Adeyemi", "Novak", "Rahman", "Silva", "Tanaka", "Volkov"]


def _upsert(model, defaults: dict, **lookup):
    """update_or_create that saves only when a value differs, so that loading the demo
    again writes no history rows."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        return model.objects.create(**lookup, **defaults)
    changed = [name for name, value in defaults.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, defaults[name])
        instance._change_reason = "Demo data"
        instance.save()
    return instance


@transaction.atomic
def load() -> list[tuple[str, str, str]]:
    """Load groups and people. Returns (username, password, what the account can do)."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    areas = {}
    for area in data["thematic_areas"]:
        areas[area["slug"]] = _upsert(
            ThematicArea,
            slug=area["slug"],
            defaults={
                "code": area["code"],
                "position": area["position"],
                **translated_fields("name", area["name"]),
                **translated_fields("description", area["description"]),
            },
        )
    groups = {}
    for entry in data["working_groups"]:
        group = _upsert(
            WorkingGroup,
            slug=entry["slug"],
            defaults={
                "kind": entry["kind"],
                "thematic_area": areas.get(entry["thematic_area"]),
                "position": entry["position"],
                "mailing_list": entry["mailing_list"],
                **translated_fields("name", entry["name"]),
                **translated_fields("scope", entry["scope"]),
            },
        )
        groups[group.slug] = group
        for position, question in enumerate(entry["guiding_questions"], start=1):
            _upsert(
                GuidingQuestion,
                working_group=group,
                position=position,
                defaults=translated_fields("text", question),
            )
        GuidingQuestion.objects.filter(
            working_group=group, position__gt=len(entry["guiding_questions"])
        ).delete()
        for former in entry["former_names"]:
            _upsert(
                FormerName,
                working_group=group,
                name=former["name"],
                defaults={
                    "renamed_on": date.fromisoformat(former["renamed_on"]),
                    **translated_fields("reason", former["reason"]),
                },
            )
    core_team = _core_team_group()
    users = {}
    for username, first, last, staff, superuser in ACCOUNTS:
        users[username] = _account(username, first, last, staff=staff, superuser=superuser)
    users["core"].groups.add(core_team)
    for username, slug, role, affiliation in ROLES:
        _membership(users[username], groups[slug], role, affiliation)
    _extra_members(groups)
    return [
        ("admin", DEMO_PASSWORD, "superuser: everything"),
        ("core", DEMO_PASSWORD, "core team: the admin panel, invitations"),
        ("coordinator", DEMO_PASSWORD, "coordinator of Advocacy, in the Steering Group"),
        ("member", DEMO_PASSWORD, "member of Advocacy"),
        ("liaison", DEMO_PASSWORD, "core-team liaison to Advocacy"),
        ("reviewer", DEMO_PASSWORD, "reviewer in the synthesis group"),
        ("writer", DEMO_PASSWORD, "writer in the synthesis group, member of Community Health"),
        ("connector", DEMO_PASSWORD, "connector and reviewer in the synthesis group"),
        ("community", DEMO_PASSWORD, "a signed-in community member"),
    ]


def _core_team_group() -> Group:
    from strategy.core_team import core_team_group

    return core_team_group()


def _account(username, first, last, *, staff=False, superuser=False):
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.org",
            "is_staff": staff,
            "is_superuser": superuser,
        },
    )
    if created:
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
    # Sign-in asks for a verified address; the demo's addresses are taken as verified.
    email_address_mark_verified(user=user)
    return user


@cache
def _demo_password_hash() -> str:
    # Hashing is slow on purpose; the demo's accounts share one password, so hash it once.
    return make_password(DEMO_PASSWORD)


def _membership(user, group, role, affiliation):
    # The demo's people state the affiliation their memberships record (one each).
    if not user.affiliation:
        user.affiliation = affiliation
        user.save(update_fields=["affiliation"])
    Membership.objects.get_or_create(
        user=user,
        working_group=group,
        role=role,
        left_on=None,
        defaults={"affiliation": affiliation, "joined_on": MEMBERS_ANNOUNCED},
    )


def _extra_members(groups):
    affiliations = list(Affiliation)
    thematic = [group for group in groups.values() if group.kind == WorkingGroup.Kind.THEMATIC]
    for index, group in enumerate(thematic):
        for seat in range(6):
            first = EXTRA_FIRST[(index + seat) % len(EXTRA_FIRST)]
            last = EXTRA_LAST[(index * 2 + seat) % len(EXTRA_LAST)]
            username = f"{group.slug[:12]}-{seat + 1}"
            user = _account(username, first, last)
            role = Role.COORDINATOR if seat == 0 and group.slug != "advocacy" else Role.MEMBER
            _membership(user, group, role, affiliations[seat % len(affiliations)])
