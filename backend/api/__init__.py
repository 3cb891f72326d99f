"""HTTP layer: thin routes over `backend.services`."""
