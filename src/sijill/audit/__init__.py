"""The append-only, hash-chained log of every change, with people pseudonymized."""
