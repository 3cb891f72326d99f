"""Duka's companion backend: holds every Daraja secret so that no phone ever does."""
