"""Running the back office as a service: health and readiness, metrics, backups, background
tasks of the registers, and the daily rhythm (`sijill daily`) with its notices."""
