"""Reconciliation runs in the back office: runs, their precomputed figures, dashboards,
work lists and exports (docs/web-dashboards.md)."""
