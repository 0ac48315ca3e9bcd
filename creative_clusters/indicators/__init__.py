"""indicators layer."""
