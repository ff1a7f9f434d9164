"""Reconciliation runs in the back office: started, followed, retired; their figures kept."""
