"""The dashboard of a territory: its funnel, the territories below, anomalies, deadlines."""
