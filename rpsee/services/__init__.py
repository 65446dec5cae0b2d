"""Use cases the pages call: each one a transaction, each write checked against the user's role."""
