"""Accounts: django-allauth's sign-up, sign-in, e-mail addresses, Wikimedia sign-in and a
second factor, fitted to this site (an adapter, the staff's second factor, the provider)."""
