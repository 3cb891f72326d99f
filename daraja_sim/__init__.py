"""A faithful local stand-in for Safaricom Daraja: the demo default, the tests' only one."""
