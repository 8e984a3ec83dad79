"""Views for recommendations, by subdomain."""
