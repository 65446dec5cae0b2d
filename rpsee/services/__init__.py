"""Use cases the pages call: each one a transaction, each write checked against the user's role."""

from rpsee.store.uow import StoreError

__all__ = ["StoreError"]  # a database failure, said plainly: pages show its message
