"""Link candidates of an annex reviewed side by side: the row whose identifier is missing or
unknown, the RNP person proposed, what differs, and the decision (confirm, reject, undo)."""
