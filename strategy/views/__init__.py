"""The kernel's own pages: a person's notices and notice preferences (notices.py)."""
