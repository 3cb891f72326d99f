"""Configuration, database, security and clock: the backend's foundations."""
