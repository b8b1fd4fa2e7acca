"""`python -m spindetect.cli ...`, the same as the `spindetect` command."""

from ._app import main

main()
