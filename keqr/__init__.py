"""KE-QR (EMVCo merchant-presented mode) payloads for M-PESA tills and paybills."""
