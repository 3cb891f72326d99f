"""Duka's Flet app: cashier and owner screens, thin views over plain-Python view-models."""
