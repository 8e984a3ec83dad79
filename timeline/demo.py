"""The reference case's phases and milestones, and one shifted date. Safe to load twice."""

import json
from datetime import date
from pathlib import Path

from django.db import transaction

from groups.models import WorkingGroup
from recommendations.models import Iteration
from strategy.demo import translated_fields
from strategy.source_language import source_field, source_language

from .models import Milestone, MilestoneShift, Phase

DATA_FILE = Path(__file__).parent / "demo_data" / "reference_case.json"


def _day(value):
    return date.fromisoformat(value) if value else None


def _source(field: str, entry: dict) -> dict[str, str]:
    """The entry's `field` in the source language, as a lookup: {"title_en": "..."}."""
    return {source_field(field): entry[field][source_language()]}


@transaction.atomic
def load() -> None:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    phases = []
    for position, entry in enumerate(data["phases"], start=1):
        phase, _ = Phase.objects.get_or_create(
            **_source("title", entry),
            defaults={
                "starts_on": _day(entry["starts_on"]),
                "ends_on": _day(entry["ends_on"]),
                "position": position,
                **translated_fields("description", entry["description"]),
            },
        )
        phases.append(phase)
    groups = {group.slug: group for group in WorkingGroup.objects.all()}
    iterations = {iteration.slug: iteration for iteration in Iteration.objects.all()}
    milestones = {}
    for entry in data["milestones"]:
        starts_on = _day(entry["starts_on"])
        milestone, created = Milestone.objects.get_or_create(
            **_source("title", entry),
            starts_on=starts_on,
            defaults={
                "kind": entry["kind"],
                "ends_on": _day(entry["ends_on"]),
                "iteration": iterations.get(entry.get("iteration")),
                "phase": next((p for p in phases if p.starts_on <= starts_on <= p.ends_on), None),
            },
        )
        if created and entry.get("working_groups"):
            milestone.working_groups.set([groups[slug] for slug in entry["working_groups"]])
        milestones[getattr(milestone, source_field("title"))] = milestone
    for entry in data["shifts"]:
        MilestoneShift.objects.get_or_create(
            milestone=milestones[entry["milestone"]],
            working_group=groups[entry["working_group"]],
            defaults={
                "starts_on": _day(entry["starts_on"]),
                **translated_fields("reason", entry["reason"]),
            },
        )
