"""Forms of recommendations, one module per subdomain (drafting, review, feedback, synthesis,
translations); what they share is in fields.py."""
