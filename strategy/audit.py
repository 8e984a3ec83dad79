"""The audit log: sign-ins, failed sign-ins, changes to people's powers (superuser, staff,
permission groups, permissions) and refused pages, written as they happen.

Signals, because the places that sign people in or change their powers (Django's auth,
the admin, the shell, `createsuperuser`) must not each know about the log. The request
that caused a change, when there is one, is known through `AuditMiddleware`: it names the
actor and the address.

404s are not logged: every mistyped address and crawler makes one, and a 404 from a scoped
queryset (what you may not see does not exist for you) cannot be told from a missing page
without instrumenting every selector. A 403 is a refusal of something that exists.
"""

import ipaddress
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.utils import timezone

from .models import AuditEvent

_request: ContextVar = ContextVar("audit_request", default=None)

# The fields of an account whose change is a change of its powers, and how it is logged.
POWER_FIELDS = {"is_superuser": AuditEvent.Kind.SUPERUSER, "is_staff": AuditEvent.Kind.STAFF}


def client_address(request) -> str | None:
    """The client's IP address. Behind the proxy that production trusts (the one that sets
    X-Forwarded-Proto), the address is the last one that proxy appended to
    X-Forwarded-For: the earlier ones are whatever the client sent."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and forwarded.strip():
        address = forwarded.split(",")[-1].strip()
    else:
        address = request.META.get("REMOTE_ADDR", "")
    # Whatever a misconfigured proxy lets through must not fail the request it logs.
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def audit_record(*, kind: str, request=None, subject=None, subject_name: str = "", **fields):
    """Write one event; the actor and address come from `request`, or from the request
    being served."""
    request = request if request is not None else _request.get()
    actor = getattr(request, "user", None) if request is not None else None
    if actor is not None and not actor.is_authenticated:
        actor = None
    if request is not None:
        fields.setdefault("ip_address", client_address(request))
        fields.setdefault("method", request.method or "")
        # The path without its query: a query may carry a signed token.
        fields.setdefault("path", request.path[:500])
    return AuditEvent.objects.create(
        kind=kind,
        actor=actor,
        actor_name=actor.get_username() if actor else "",
        subject=subject,
        subject_name=subject_name or (subject.get_username() if subject else ""),
        **fields,
    )


def audit_prune(*, days: int) -> int:
    """Delete the events older than `days` days (one at least); returns how many. The only
    way events leave the log."""
    if days < 1:
        raise ValueError("The retention period is one day at least.")
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = AuditEvent.objects.filter(at__lt=cutoff).delete()
    return deleted


class AuditMiddleware:
    """Makes the request known to the signal handlers, and logs each 403 it answers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            response = self.get_response(request)
            if response.status_code == 403:
                audit_record(kind=AuditEvent.Kind.ACCESS_REFUSED, request=request)
            return response
        finally:
            _request.reset(token)


def _signed_in(sender, request, user, **kwargs):
    audit_record(kind=AuditEvent.Kind.SIGN_IN, request=request, subject=user)


def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # Django has already replaced the password in `credentials` with stars.
    field = get_user_model().USERNAME_FIELD
    # allauth's sign-in passes what the person typed under "email" too when it is an address.
    username = str(credentials.get(field) or credentials.get("email") or "")[:150]
    people = get_user_model().objects
    subject = people.filter(**{field: username}).first()
    if subject is None and credentials.get("email"):
        subject = people.filter(email__iexact=username).first()
    audit_record(
        kind=AuditEvent.Kind.SIGN_IN_FAILED,
        request=request,
        subject=subject,
        subject_name=username,
    )


def _powers_before(sender, instance, raw=False, update_fields=None, **kwargs):
    # Signing in saves `last_login` alone: no need to read the powers for that.
    if raw or (update_fields is not None and not set(update_fields) & set(POWER_FIELDS)):
        return
    previous = (
        sender.objects.filter(pk=instance.pk).values(*POWER_FIELDS).first() if instance.pk else None
    )
    instance._audit_powers = previous or dict.fromkeys(POWER_FIELDS, False)


def _powers_after(sender, instance, created, raw=False, **kwargs):
    before = getattr(instance, "_audit_powers", None)
    if raw or before is None:
        return
    del instance._audit_powers
    for name, kind in POWER_FIELDS.items():
        now = getattr(instance, name)
        if bool(before[name]) != bool(now):
            audit_record(
                kind=kind, subject=instance, before={name: before[name]}, after={name: now}
            )


def _group_names(user) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))


def _permission_names(queryset) -> list[str]:
    return sorted(
        f"{app_label}.{codename}"
        for app_label, codename in queryset.values_list("content_type__app_label", "codename")
    )


def _user_permission_names(user) -> list[str]:
    return _permission_names(user.user_permissions.all())


def _m2m_logger(kind: str, field: str, names):
    """A handler for one many-to-many relation of the user (groups, user_permissions):
    the set is read before the change (`pre_*`) and after it (`post_*`). From the reverse
    side (`group.user_set.add(...)`) each person concerned gets an event of their own."""
    stash = f"_audit_{field}"

    def handler(sender, instance, action, reverse, model, pk_set, **kwargs):
        if action.startswith("pre_"):
            if not reverse:
                users = [instance]
            elif action == "pre_clear":
                users = list(instance.user_set.all())
            else:
                users = list(model.objects.filter(pk__in=pk_set))
            setattr(instance, stash, [(user, names(user)) for user in users])
            return
        for user, before in getattr(instance, stash, []):
            after = names(user)
            if before != after:
                audit_record(kind=kind, subject=user, before={field: before}, after={field: after})
        setattr(instance, stash, [])

    return handler


def _group_permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """A permission group's own permissions: the powers of everyone in it."""
    if reverse:
        # From a permission's side (`permission.group_set`): rare enough to log as a whole.
        if action.startswith("post_"):
            audit_record(
                kind=AuditEvent.Kind.PERMISSIONS,
                subject_name=str(instance)[:150],
                after={"groups": sorted(map(str, model.objects.filter(pk__in=pk_set or ())))},
            )
        return
    if action.startswith("pre_"):
        instance._audit_permissions = _permission_names(instance.permissions.all())
        return
    before = getattr(instance, "_audit_permissions", None)
    after = _permission_names(instance.permissions.all())
    if before is not None and before != after:
        audit_record(
            kind=AuditEvent.Kind.PERMISSIONS,
            subject_name=str(instance)[:150],
            before={"permissions": before},
            after={"permissions": after},
        )


def connect() -> None:
    """Connect the handlers (from the app's `ready()`)."""
    from django.contrib.auth.models import Group

    user = get_user_model()
    user_logged_in.connect(_signed_in, dispatch_uid="audit:sign-in")
    user_login_failed.connect(_sign_in_failed, dispatch_uid="audit:sign-in-failed")
    pre_save.connect(_powers_before, sender=user, dispatch_uid="audit:powers-before")
    post_save.connect(_powers_after, sender=user, dispatch_uid="audit:powers-after")
    m2m_changed.connect(
        _m2m_logger(AuditEvent.Kind.GROUPS, "groups", _group_names),
        sender=user.groups.through,
        dispatch_uid="audit:groups",
        weak=False,
    )
    m2m_changed.connect(
        _m2m_logger(AuditEvent.Kind.PERMISSIONS, "user_permissions", _user_permission_names),
        sender=user.user_permissions.through,
        dispatch_uid="audit:permissions",
        weak=False,
    )
    m2m_changed.connect(
        _group_permissions_changed,
        sender=Group.permissions.through,
        dispatch_uid="audit:group-permissions",
    )
