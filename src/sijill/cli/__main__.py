"""`python -m sijill.cli`: the same as the `sijill` command."""

from sijill.cli.app import main

main()
