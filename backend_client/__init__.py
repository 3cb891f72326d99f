"""Typed client for Duka's companion backend, used by the app and by scripts."""
