"""A faithful local stand-in for Safaricom's Daraja API: the demo's default and the tests' only one."""
