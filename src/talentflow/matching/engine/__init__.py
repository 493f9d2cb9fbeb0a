"""The matching engine's pure core: no Django, no ORM. See types.py for the contract."""
