"""Business logic: accounts, payments, callbacks, reconciliation, events, takings.

Routes stay thin and call these; these never import FastAPI.
"""
