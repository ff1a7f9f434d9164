"""An annex's work lists: its findings and its link candidates to confirm or reject."""
