"""The registers as systems of record: persons (RNP), households (RSU), AMO Tadamon files."""
